using System.Security;
using System.Security.Cryptography.X509Certificates;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Server.OAuth;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Federation;
using IdentityBroker.UserPools.Federation.Upstream;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.Triggers;

namespace IdentityBroker.Server.PoolFederation;

/// <summary>
/// SAML 2.0 sign-in into a user pool (Cognito developer guide, "SAML identity providers" and "SAML session
/// initiation"): <c>/oauth2/authorize</c> naming a SAML provider sends the browser to the IdP's SSO service with an
/// AuthnRequest and the sealed state as RelayState; the IdP posts the response to the ACS <c>/saml2/idpresponse</c>, which
/// checks it with the broker's one SAML validator (<see cref="SamlLoginValidator.ValidateAcsAsync"/>: signature and its
/// wrapping defences, issuer, audience <c>urn:amazon:cognito:sp:&lt;userPoolId&gt;</c>, recipient, lifetime, replay) and
/// signs the NameID's federated user in. An IdP-initiated response (RelayState = the authorize query) is accepted only
/// for a provider whose <c>IDPInit</c> is "true". <c>/saml2/metadata</c> describes the pool as a service provider, with
/// the pool's own signing and encryption certificates (<see cref="SamlServiceProviderKeys"/>). A provider with
/// <c>RequestSigningAlgorithm</c> gets signed AuthnRequests; one with <c>EncryptedResponses</c> "true" must encrypt its
/// assertions, and an unencrypted one is refused. Single logout is <see cref="SamlLogout"/>.
/// </summary>
internal static class SamlEndpoints
{
    public const string AcsPath = "/saml2/idpresponse";
    public const string MetadataPath = "/saml2/metadata";

    /// <summary>The subject's attribute name for AttributeMapping's default <c>username</c> mapping (docs/user-pools.md).</summary>
    public const string NameIdAttribute = IdentityProviderTypes.SamlNameIdClaim;

    /// <summary>A base64 SAMLResponse bounded as in Logins, plus its RelayState and the form's encoding.</summary>
    private const long MaxFormBytes = 96 * 1024;

    /// <summary>An IdP-initiated RelayState is an authorize query; none is longer in practice.</summary>
    private const int MaxRelayStateQuery = 8192;

    public static void MapPoolSaml(this RouteGroupBuilder domain)
    {
        domain.MapPost(AcsPath, AcsAsync);
        domain.MapGet(MetadataPath, MetadataAsync);
        domain.MapGet(SamlLogout.Path, SamlLogout.EndpointAsync);
        domain.MapPost(SamlLogout.Path, SamlLogout.EndpointAsync);
    }

    /// <summary>The branch of <c>/oauth2/authorize</c> for a SAML provider: the AuthnRequest by the HTTP-Redirect binding.</summary>
    public static async Task<IResult> StartAsync(HttpContext context, ValidatedAuthorize validated, PoolIdentityProvider provider)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(validated);
        ArgumentNullException.ThrowIfNull(provider);
        return await RedirectToIdpAsync(context, validated, provider);
    }

    private static async Task<IResult> RedirectToIdpAsync(HttpContext context, ValidatedAuthorize validated, PoolIdentityProvider provider)
    {
        var services = context.RequestServices;
        var request = validated.Request;
        var idp = await services.GetRequiredService<SamlProviderMetadata>().ForAsync(provider, context.RequestAborted);
        if (idp is null)
        {
            return OAuthPages.RedirectError(request, new AwsError("invalid_request", "The SAML identity provider cannot be used for sign-in.") { StatusCode = 302 });
        }

        var states = services.GetRequiredService<FederationStates>();
        var requestId = SamlAuthnRequests.NewRequestId();
        var state = states.New(validated.Pool.Id, provider.ProviderName, request.ToQueryString()) with { SamlRequestId = requestId };
        var relayState = await states.SealAsync(state, context.RequestAborted);
        // ProviderDetailsRules admits rsa-sha256 only; Cognito signs nothing for a provider without RequestSigningAlgorithm.
        var signer = provider.Detail("RequestSigningAlgorithm") is not null
            ? await services.GetRequiredService<SamlServiceProviderKeys>().SigningAsync(validated.Pool, context.RequestAborted)
            : null;
        var url = SamlAuthnRequests.RedirectUrl(idp, validated.Pool.Id, requestId, context.DomainOrigin() + AcsPath, relayState,
            services.GetRequiredService<TimeProvider>().GetUtcNow(), signer);
        return url is null
            ? OAuthPages.RedirectError(request, new AwsError("invalid_request", "The SAML identity provider has no HTTP-Redirect sign-in service.") { StatusCode = 302 })
            : Results.Redirect(url.AbsoluteUri);
    }

    private static async Task<IResult> AcsAsync(HttpContext context, FederationStates states, AuthorizeRequests requests,
        IUserPoolIdentityProviderStore providers, SamlLoginValidator validator, FederatedUsers users, HostedSessions sessions,
        AuthorizationCompletion completion, SamlProviderMetadata metadata, SamlServiceProviderKeys spKeys, ISamlSessionStore samlSessions, TimeProvider time)
    {
        var pool = context.UserPoolDomain()!;
        var form = await ReadFormAsync(context);
        var relayState = form?.GetValueOrDefault("RelayState");
        var solicited = await states.OpenAsync(relayState, pool.Id, context.RequestAborted);
        var (validated, provider) = solicited is not null
            ? await SolicitedAsync(context, requests, providers, solicited)
            : await UnsolicitedAsync(context, requests, providers, relayState);
        // Neither this broker's sealed state nor an IdP-initiated request the provider allows: the response cannot be
        // tied to a client request, so it is shown as an error and never redirected.
        var idp = provider is null ? null : await metadata.ForAsync(provider, context.RequestAborted);
        if (form?.GetValueOrDefault("SAMLResponse") is not { Length: > 0 } samlResponse || validated is null || provider is null || idp is null)
        {
            return OAuthPages.Error(new AwsError("invalid_request", "The SAML response does not belong to a sign-in this user pool can complete."));
        }

        var request = validated.Request;
        var decryptionKeys = provider.Detail("EncryptedResponses") == "true"
            ? (await spKeys.AllAsync(pool, SamlKeyUse.Encryption, context.RequestAborted)).Select(c => c.GetRSAPrivateKey()!).ToList()
            : null;
        Result<SamlSubject> subject;
        try
        {
            subject = await validator.ValidateAcsAsync(idp, SamlAuthnRequests.EntityId(pool.Id), context.DomainOrigin() + AcsPath,
                "userpool/" + pool.Id + "/" + provider.ProviderName, samlResponse, context.RequestAborted, solicited?.SamlRequestId, decryptionKeys);
        }
        finally
        {
            decryptionKeys?.ForEach(k => k.Dispose());
        }

        var user = subject.IsSuccess
            ? await users.SignInAsync(pool, validated.Client.ClientId, ToProviderUser(provider, subject.Value), context.RequestAborted)
            : subject.Error!;
        if (!user.IsSuccess)
        {
            // The validator's reason names the failed check only, never the response's content; a trigger's error is
            // Cognito's invalid_request (FederationEndpoints.ForClient).
            var error = TriggerErrors.IsTriggerError(user.Error!) ? TriggerErrors.ForRedirect(user.Error!) : new AwsError("access_denied", user.Error!.Message);
            return OAuthPages.RedirectError(request, error with { StatusCode = 302 });
        }

        var now = time.GetUtcNow();
        await sessions.StartAsync(context, pool, user.Value, now);
        // What an IdP-initiated LogoutRequest names (NameID, SessionIndex), kept as long as the hosted session (SamlIdpLogout).
        await samlSessions.RecordSamlSessionAsync(new SamlSession(pool.Id, provider.ProviderName, subject.Value.NameId, subject.Value.SessionIndex,
            user.Value.Sub, now + HostedSessionTickets.Lifetime), now, context.RequestAborted);
        var redirect = await completion.CompleteAsync(validated, user.Value, now, context.RequestAborted);
        return Results.Redirect(redirect.AbsoluteUri);
    }

    /// <summary>SP-initiated: the authorize request and provider sealed in the RelayState when the browser was sent to the IdP.</summary>
    private static async Task<(ValidatedAuthorize? Validated, PoolIdentityProvider? Provider)> SolicitedAsync(
        HttpContext context, AuthorizeRequests requests, IUserPoolIdentityProviderStore providers, FederationState state)
    {
        var pool = context.UserPoolDomain()!;
        var request = AuthorizeRequest.FromQuery(FederationEndpoints.ParseQuery(state.AuthorizeQuery));
        var validated = request is null ? (Result<ValidatedAuthorize>?)null : await requests.ValidateAsync(pool, request, context.RequestAborted);
        var provider = await providers.GetProviderAsync(pool.Id, state.ProviderName, context.RequestAborted);
        return validated is { IsSuccess: true } valid && provider?.ProviderType == IdentityProviderTypes.Saml ? (valid.Value, provider) : (null, null);
    }

    /// <summary>
    /// IdP-initiated (Cognito developer guide, "The IdP SAML assertion endpoint"): the RelayState is the authorize query in
    /// the clear (response_type, client_id, redirect_uri, identity_provider or idp_identifier, scope), validated as at
    /// /oauth2/authorize. Only a SAML provider whose ProviderDetails has <c>IDPInit</c> "true" and that the client supports
    /// may sign in this way, since nothing ties such a response to a request of this broker.
    /// </summary>
    private static async Task<(ValidatedAuthorize? Validated, PoolIdentityProvider? Provider)> UnsolicitedAsync(
        HttpContext context, AuthorizeRequests requests, IUserPoolIdentityProviderStore providers, string? relayState)
    {
        var pool = context.UserPoolDomain()!;
        if (relayState is not { Length: > 0 and <= MaxRelayStateQuery } || AuthorizeRequest.FromQuery(FederationEndpoints.ParseQuery(relayState)) is not { } request
            || !FederationEndpoints.NamesProvider(request))
        {
            return (null, null);
        }

        var validated = await requests.ValidateAsync(pool, request, context.RequestAborted);
        var provider = validated.IsSuccess ? await FederationEndpoints.FindProviderAsync(providers, validated.Value, context.RequestAborted) : null;
        return provider is { ProviderType: IdentityProviderTypes.Saml } && provider.Detail("IDPInit") == "true" ? (validated.Value, provider) : (null, null);
    }

    /// <summary>
    /// The pool as a SAML service provider (SAML Metadata §2.4.4): its entity id, the pool's signing and encryption
    /// certificates (the newest of each), the HTTP-POST ACS and the single logout service. <c>AuthnRequestsSigned</c> is
    /// "true" when a SAML provider of the pool has <c>RequestSigningAlgorithm</c>, as the requests to it are then signed.
    /// </summary>
    private static async Task<IResult> MetadataAsync(HttpContext context, SamlServiceProviderKeys keys, IUserPoolIdentityProviderStore providers)
    {
        var pool = context.UserPoolDomain()!;
        var signing = SamlServiceProviderKeys.Base64(await keys.SigningAsync(pool, context.RequestAborted));
        var encryption = SamlServiceProviderKeys.Base64(await keys.EncryptionAsync(pool, context.RequestAborted));
        var signed = await AnySignedRequestsAsync(providers, pool.Id, context.RequestAborted);
        var origin = SecurityElement.Escape(context.DomainOrigin());
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\""
            + SecurityElement.Escape(SamlAuthnRequests.EntityId(pool.Id)) + "\">\n<md:SPSSODescriptor AuthnRequestsSigned=\"" + (signed ? "true" : "false")
            + "\" WantAssertionsSigned=\"true\" protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n"
            + KeyDescriptor("signing", signing) + KeyDescriptor("encryption", encryption)
            + "<md:SingleLogoutService Binding=\"" + SamlLogout.RedirectBinding + "\" Location=\"" + origin + SamlLogout.Path + "\"/>\n"
            + "<md:SingleLogoutService Binding=\"" + SamlAuthnRequests.PostBinding + "\" Location=\"" + origin + SamlLogout.Path + "\"/>\n"
            + "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>\n"
            + "<md:AssertionConsumerService Binding=\"" + SamlAuthnRequests.PostBinding + "\" Location=\""
            + origin + AcsPath + "\" index=\"1\" isDefault=\"true\"/>\n"
            + "</md:SPSSODescriptor>\n</md:EntityDescriptor>\n";
        return Results.Text(xml, "application/samlmetadata+xml");
    }

    private static string KeyDescriptor(string use, string certificate) =>
        "<md:KeyDescriptor use=\"" + use + "\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data><ds:X509Certificate>"
        + certificate + "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n";

    private static async Task<bool> AnySignedRequestsAsync(IUserPoolIdentityProviderStore providers, string userPoolId, CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            var page = await providers.ListProvidersAsync(userPoolId, 60, next, cancellationToken);
            if (page.Items.Any(p => p.ProviderType == IdentityProviderTypes.Saml && p.Detail("RequestSigningAlgorithm") is not null))
            {
                return true;
            }

            next = page.NextToken;
        }
        while (next is not null);
        return false;
    }

    /// <summary>
    /// The provider's SAML attributes as claims for AttributeMapping (multiple values joined by commas), and the NameID
    /// under <see cref="NameIdAttribute"/>; the NameID is the subject, so the user is <c>&lt;ProviderName&gt;_&lt;NameID&gt;</c>.
    /// </summary>
    private static ProviderUser ToProviderUser(PoolIdentityProvider provider, SamlSubject subject)
    {
        var claims = subject.Attributes.ToDictionary(a => a.Key, a => string.Join(',', a.Value), StringComparer.Ordinal);
        claims[NameIdAttribute] = subject.NameId;
        return new ProviderUser(provider, subject.NameId, claims);
    }

    private static async Task<Dictionary<string, string>?> ReadFormAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasFormContentType || request.ContentLength is null or > MaxFormBytes)
        {
            return null;
        }

        try
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            return form.Where(f => f.Value.Count == 1).ToDictionary(f => f.Key, f => f.Value[0] ?? string.Empty, StringComparer.Ordinal);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
