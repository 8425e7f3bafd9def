using IdentityBroker.Errors;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Server.OAuth;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Federation;
using IdentityBroker.UserPools.Federation.Upstream;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.Server.PoolFederation;

/// <summary>
/// SAML single logout from a user pool (Cognito developer guide, "Signing out SAML users with single sign-out"): when the
/// hosted session being ended at <c>/logout?client_id=…&amp;logout_uri=…</c> is a SAML provider's federated user and that
/// provider has <c>IDPSignout</c> "true", the browser goes to the IdP's SingleLogoutService (HTTP-Redirect) with a signed
/// LogoutRequest for the user's NameID and a sealed RelayState (the client, the logout_uri, the request's ID). The IdP
/// answers at <c>/saml2/logout</c> (HTTP-Redirect or HTTP-POST); a valid LogoutResponse completes the sign-out with the
/// redirect to the logout_uri. Anything else there is an error page, never a redirect.
/// </summary>
internal static class SamlLogout
{
    public const string Path = "/saml2/logout";
    public const string RedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

    private const int MaxMessageCharacters = 100_000;
    internal const long MaxFormBytes = 96 * 1024;

    /// <summary>
    /// The redirect to the IdP when the signed-in user (<paramref name="sub"/>, already signed out locally) came from a SAML
    /// provider with IDPSignout; null when there is none, so <c>/logout</c> goes straight to the logout_uri.
    /// </summary>
    public static async Task<IResult?> StartAsync(HttpContext context, UserPool pool, string? sub, string clientId, string logoutUri)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pool);
        if (sub is null)
        {
            return null;
        }

        var services = context.RequestServices;
        var cancellationToken = context.RequestAborted;
        var user = await services.GetRequiredService<IUserStore>().GetUserAsync(pool.Id, sub, cancellationToken);
        // The pool's own federated user of a SAML provider (<ProviderName>_<NameID>): its NameID is what the IdP knows.
        var identity = user is null ? null : FederatedIdentity.Of(user).FirstOrDefault(i => i.ProviderType == IdentityProviderTypes.Saml
            && i.LinkAttribute is null && user.Username == FederatedUsers.Username(i.ProviderName, i.UserId));
        var provider = identity is null ? null
            : await services.GetRequiredService<IUserPoolIdentityProviderStore>().GetProviderAsync(pool.Id, identity.ProviderName, cancellationToken);
        if (identity is null || provider is null || provider.Detail("IDPSignout") != "true"
            || await services.GetRequiredService<SamlProviderMetadata>().ForAsync(provider, cancellationToken) is not { SingleLogoutRedirect: not null } idp)
        {
            return null;
        }

        var states = services.GetRequiredService<FederationStates>();
        var requestId = SamlAuthnRequests.NewRequestId();
        var query = "client_id=" + Uri.EscapeDataString(clientId) + "&logout_uri=" + Uri.EscapeDataString(logoutUri);
        var relayState = await states.SealAsync(states.New(pool.Id, provider.ProviderName, query) with { SamlRequestId = requestId }, cancellationToken);
        var signer = await services.GetRequiredService<SamlServiceProviderKeys>().SigningAsync(pool, cancellationToken);
        var url = SamlAuthnRequests.LogoutUrl(idp, pool.Id, requestId, identity.UserId, relayState,
            services.GetRequiredService<TimeProvider>().GetUtcNow(), signer);
        return Results.Redirect(url!.AbsoluteUri);
    }

    /// <summary>
    /// <c>/saml2/logout</c>: an IdP's LogoutRequest (IdP-initiated single logout, <see cref="SamlIdpLogout"/>) or its
    /// LogoutResponse to the broker's request.
    /// </summary>
    public static async Task<IResult> EndpointAsync(HttpContext context, FederationStates states, IUserPoolIdentityProviderStore providers,
        SamlProviderMetadata metadata, AuthorizeRequests requests) =>
        await SamlIdpLogout.IsRequestAsync(context)
            ? await SamlIdpLogout.HandleAsync(context)
            : await ResponseAsync(context, states, providers, metadata, requests);

    /// <summary>The IdP's LogoutResponse, by HTTP-Redirect (GET, query signature) or HTTP-POST (form, enveloped signature).</summary>
    public static async Task<IResult> ResponseAsync(HttpContext context, FederationStates states, IUserPoolIdentityProviderStore providers,
        SamlProviderMetadata metadata, AuthorizeRequests requests)
    {
        var pool = context.UserPoolDomain()!;
        var message = await ReadAsync(context);
        var state = message is null ? null : await states.OpenAsync(message.Value.RelayState, pool.Id, context.RequestAborted);
        var provider = state is null ? null : await providers.GetProviderAsync(pool.Id, state.ProviderName, context.RequestAborted);
        var idp = provider is null ? null : await metadata.ForAsync(provider, context.RequestAborted);
        if (message is null || state?.SamlRequestId is null || idp is null)
        {
            return OAuthPages.Error(new AwsError("invalid_request", "The SAML message does not belong to a sign-out this user pool started."));
        }

        var (xml, signedByBinding) = message.Value.Get ? Redirected(context, idp) : Posted(message.Value.SamlResponse);
        var failure = xml is null ? "The SAML logout response is not a valid, signed message of the SAML provider."
            : SamlLogoutResponses.Check(xml, idp, state.SamlRequestId, context.DomainOrigin() + Path, signedByBinding);
        var query = FederationEndpoints.ParseQuery(state.AuthorizeQuery);
        var logoutUri = query.GetValueOrDefault("logout_uri");
        var client = await requests.FindClientAsync(pool, query.GetValueOrDefault("client_id") ?? string.Empty, context.RequestAborted);
        // The logout_uri was checked at /logout; it is checked again, since the client's LogoutURLs may have changed since.
        if (failure is not null || logoutUri is null || client?.Settings.LogoutURLs?.Contains(logoutUri, StringComparer.Ordinal) != true)
        {
            return OAuthPages.Error(new AwsError("invalid_request", failure ?? AuthorizeErrors.LogoutMismatch.Message));
        }

        return Results.Redirect(logoutUri);
    }

    private static (string? Xml, bool SignedByBinding) Redirected(HttpContext context, SamlMetadata idp)
    {
        var raw = context.Request.QueryString.Value ?? string.Empty;
        if (SamlRedirectBinding.Verify(raw, "SAMLResponse", idp.SigningCertificates) is not null)
        {
            return (null, false);
        }

        var encoded = SamlRedirectBinding.RawParameters(raw)?.GetValueOrDefault("SAMLResponse");
        return (encoded is null ? null : SamlRedirectBinding.Inflate(Uri.UnescapeDataString(encoded), MaxMessageCharacters), true);
    }

    private static (string? Xml, bool SignedByBinding) Posted(string samlResponse)
    {
        try
        {
            return (new System.Text.UTF8Encoding(false, true).GetString(Convert.FromBase64String(samlResponse)), false);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return (null, false);
        }
    }

    private static async Task<(bool Get, string SamlResponse, string? RelayState)?> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method))
        {
            var query = request.Query;
            return query["SAMLResponse"].Count == 1 && query["RelayState"].Count == 1 && query["SAMLResponse"][0] is { Length: > 0 and <= MaxMessageCharacters } response
                ? (true, response, query["RelayState"][0])
                : null;
        }

        if (!request.HasFormContentType || request.ContentLength is null or > MaxFormBytes)
        {
            return null;
        }

        try
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            return form["SAMLResponse"].Count == 1 && form["RelayState"].Count == 1 && form["SAMLResponse"][0] is { Length: > 0 } posted
                ? (false, posted, form["RelayState"][0])
                : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
