using System.Security;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Server.OAuth;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Federation;
using IdentityBroker.UserPools.Federation.Upstream;
using IdentityBroker.UserPools.OAuth;

namespace IdentityBroker.Server.PoolFederation;

/// <summary>
/// SAML 2.0 sign-in into a user pool (Cognito developer guide, "SAML identity providers" and "SAML session
/// initiation"): <c>/oauth2/authorize</c> naming a SAML provider sends the browser to the IdP's SSO service with an
/// AuthnRequest and the sealed state as RelayState; the IdP posts the response to the ACS <c>/saml2/idpresponse</c>, which
/// checks it with the broker's one SAML validator (<see cref="SamlLoginValidator.ValidateAcsAsync"/>: signature and its
/// wrapping defences, issuer, audience <c>urn:amazon:cognito:sp:&lt;userPoolId&gt;</c>, recipient, lifetime, replay) and
/// signs the NameID's federated user in. <c>/saml2/metadata</c> describes the pool as a service provider.
/// </summary>
internal static class SamlEndpoints
{
    public const string AcsPath = "/saml2/idpresponse";
    public const string MetadataPath = "/saml2/metadata";

    /// <summary>The subject's attribute name for AttributeMapping's default <c>username</c> mapping (docs/user-pools.md).</summary>
    public const string NameIdAttribute = IdentityProviderTypes.SamlNameIdClaim;

    /// <summary>A base64 SAMLResponse bounded as in Logins, plus its RelayState and the form's encoding.</summary>
    private const long MaxFormBytes = 96 * 1024;

    public static void MapPoolSaml(this RouteGroupBuilder domain)
    {
        domain.MapPost(AcsPath, AcsAsync);
        domain.MapGet(MetadataPath, Metadata);
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
        var idp = IdpMetadata(provider);
        // Signing the AuthnRequest (RequestSigningAlgorithm) needs the pool's signing certificate in its SP metadata, which
        // the broker does not publish yet: such a provider is refused rather than sent an unsigned request it would refuse.
        if (idp is null || provider.Detail("RequestSigningAlgorithm") is not null)
        {
            return OAuthPages.RedirectError(request, new AwsError("invalid_request", "The SAML identity provider cannot be used for sign-in.") { StatusCode = 302 });
        }

        var states = services.GetRequiredService<FederationStates>();
        var state = states.New(validated.Pool.Id, provider.ProviderName, request.ToQueryString());
        var relayState = await states.SealAsync(state, context.RequestAborted);
        var url = SamlAuthnRequests.RedirectUrl(idp, validated.Pool.Id, context.DomainOrigin() + AcsPath, relayState,
            services.GetRequiredService<TimeProvider>().GetUtcNow());
        return url is null
            ? OAuthPages.RedirectError(request, new AwsError("invalid_request", "The SAML identity provider has no HTTP-Redirect sign-in service.") { StatusCode = 302 })
            : Results.Redirect(url.AbsoluteUri);
    }

    private static async Task<IResult> AcsAsync(HttpContext context, FederationStates states, AuthorizeRequests requests,
        IUserPoolIdentityProviderStore providers, SamlLoginValidator validator, FederatedUsers users, HostedSessions sessions,
        AuthorizationCompletion completion, TimeProvider time)
    {
        var pool = context.UserPoolDomain()!;
        var form = await ReadFormAsync(context);
        var relayState = form?.GetValueOrDefault("RelayState");
        // The RelayState is the sealed state of this sign-in: without it (or tampered, expired, of another pool) the
        // response cannot be tied to a client request, so it is shown as an error and never redirected.
        var state = await states.OpenAsync(relayState, pool.Id, context.RequestAborted);
        if (form?.GetValueOrDefault("SAMLResponse") is not { Length: > 0 } samlResponse || state is null)
        {
            return OAuthPages.Error(new AwsError("invalid_request", "The SAML response does not belong to a sign-in of this browser."));
        }

        var request = AuthorizeRequest.FromQuery(FederationEndpoints.ParseQuery(state.AuthorizeQuery));
        var validated = request is null ? null : (Result<ValidatedAuthorize>?)await requests.ValidateAsync(pool, request, context.RequestAborted);
        var provider = await providers.GetProviderAsync(pool.Id, state.ProviderName, context.RequestAborted);
        var idp = provider is null ? null : IdpMetadata(provider);
        if (validated is not { IsSuccess: true } || provider is null || idp is null)
        {
            return OAuthPages.Error(AuthorizeErrors.MissingClientOrRedirect);
        }

        var subject = await validator.ValidateAcsAsync(idp, SamlAuthnRequests.EntityId(pool.Id), context.DomainOrigin() + AcsPath,
            "userpool/" + pool.Id + "/" + provider.ProviderName, samlResponse, context.RequestAborted);
        var user = subject.IsSuccess ? await users.SignInAsync(pool, ToProviderUser(provider, subject.Value), context.RequestAborted) : subject.Error!;
        if (!user.IsSuccess)
        {
            // The validator's reason names the failed check only, never the response's content.
            return OAuthPages.RedirectError(request!, new AwsError("access_denied", user.Error!.Message) { StatusCode = 302 });
        }

        var now = time.GetUtcNow();
        await sessions.StartAsync(context, pool, user.Value, now);
        var redirect = await completion.CompleteAsync(validated.Value.Value, user.Value, now, context.RequestAborted);
        return Results.Redirect(redirect.AbsoluteUri);
    }

    /// <summary>The pool as a SAML service provider (SAML Metadata §2.4.4): its entity id and its HTTP-POST ACS.</summary>
    private static IResult Metadata(HttpContext context)
    {
        var pool = context.UserPoolDomain()!;
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\""
            + SecurityElement.Escape(SamlAuthnRequests.EntityId(pool.Id)) + "\">\n<md:SPSSODescriptor AuthnRequestsSigned=\"false\" WantAssertionsSigned=\"true\""
            + " protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n"
            + "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>\n"
            + "<md:AssertionConsumerService Binding=\"" + SamlAuthnRequests.PostBinding + "\" Location=\""
            + SecurityElement.Escape(context.DomainOrigin() + AcsPath) + "\" index=\"1\" isDefault=\"true\"/>\n"
            + "</md:SPSSODescriptor>\n</md:EntityDescriptor>\n";
        return Results.Text(xml, "application/samlmetadata+xml");
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

    /// <summary>The IdP's metadata from MetadataFile; null for a MetadataURL provider (not fetched yet) or a document that no longer parses.</summary>
    private static SamlMetadata? IdpMetadata(PoolIdentityProvider provider)
    {
        if (provider.Detail("MetadataFile") is not { } file)
        {
            return null;
        }

        var parsed = SamlMetadata.Parse(file);
        return parsed.IsSuccess ? parsed.Value : null;
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
