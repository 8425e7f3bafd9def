using System.Text.Json;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.Server.OAuth;

/// <summary>
/// <c>/logout</c> and the pool's discovery document on its domain (Cognito developer guide, "Logout endpoint" and the OIDC
/// discovery of a user pool): the endpoints in the document are the domain's, the issuer and keys the pool's.
/// </summary>
internal static class DomainEndpoints
{
    public static void MapDomainEndpoints(this RouteGroupBuilder domain)
    {
        domain.MapGet("/logout", LogoutAsync);
        domain.MapGet(UserPoolIssuer.OpenIdConfigurationPath, Discovery);
        domain.MapGet(UserPoolIssuer.JwksPath, async (HttpContext context, UserPoolDiscovery discovery) =>
            Results.Text(await discovery.JwksJsonAsync(context.UserPoolDomain()!.Id, context.RequestAborted) ?? "{}", "application/json"));
    }

    /// <summary>
    /// Ends the hosted session, then: with <c>logout_uri</c>, a redirect to it when it is exactly one of the client's
    /// LogoutURLs; with <c>redirect_uri</c> and <c>response_type</c>, a new sign-in (the authorize checks apply). Anything
    /// else is an error page, never a redirect (no open redirect).
    /// </summary>
    private static async Task<IResult> LogoutAsync(HttpContext context, AuthorizeRequests requests, HostedSessions sessions)
    {
        var pool = context.UserPoolDomain()!;
        var query = OAuthQuery.Single(context.Request.Query);
        var clientId = query?.GetValueOrDefault("client_id");
        if (query is null || string.IsNullOrEmpty(clientId))
        {
            return OAuthPages.Error(AuthorizeErrors.MissingClientOrRedirect);
        }

        if (query.GetValueOrDefault("logout_uri") is { Length: > 0 } logoutUri)
        {
            var client = await requests.FindClientAsync(pool, clientId, context.RequestAborted);
            if (client?.Settings.LogoutURLs?.Contains(logoutUri, StringComparer.Ordinal) != true)
            {
                return OAuthPages.Error(AuthorizeErrors.LogoutMismatch);
            }

            var current = await sessions.CurrentAsync(context, pool);
            sessions.End(context);
            // A SAML provider's user with IDPSignout goes to the IdP first; /saml2/logout then redirects to the logout_uri.
            return await PoolFederation.SamlLogout.StartAsync(context, pool, current?.Sub, clientId, logoutUri) ?? Results.Redirect(logoutUri);
        }

        if (AuthorizeRequest.FromQuery(query) is not { } request)
        {
            return OAuthPages.Error(AuthorizeErrors.MissingClientOrRedirect);
        }

        var validated = await requests.ValidateAsync(pool, request, context.RequestAborted);
        if (!validated.IsSuccess && AuthorizeErrors.IsShownAsPage(validated.Error!))
        {
            return OAuthPages.Error(validated.Error!);
        }

        sessions.End(context);
        return validated.IsSuccess
            ? Results.Redirect(AuthorizeEndpoint.LoginPath + "?" + request.ToQueryString())
            : OAuthPages.RedirectError(request, validated.Error!);
    }

    private static IResult Discovery(HttpContext context, UserPoolIssuer issuer)
    {
        var pool = context.UserPoolDomain()!;
        var origin = context.DomainOrigin();
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("issuer", issuer.IssuerOf(pool.Id));
            w.WriteString("authorization_endpoint", origin + AuthorizeEndpoint.Path);
            w.WriteString("token_endpoint", origin + "/oauth2/token");
            w.WriteString("userinfo_endpoint", origin + "/oauth2/userInfo");
            w.WriteString("revocation_endpoint", origin + "/oauth2/revoke");
            w.WriteString("end_session_endpoint", origin + "/logout");
            w.WriteString("jwks_uri", issuer.JwksUriOf(pool.Id));
            Array(w, "response_types_supported", ["code", "token"]);
            Array(w, "grant_types_supported", ["authorization_code", "refresh_token", "client_credentials", "implicit"]);
            Array(w, "subject_types_supported", ["public"]);
            Array(w, "id_token_signing_alg_values_supported", ["RS256"]);
            Array(w, "scopes_supported", ["openid", "email", "phone", "profile", OAuthScopes.Admin]);
            Array(w, "token_endpoint_auth_methods_supported", ["client_secret_basic", "client_secret_post"]);
            Array(w, "code_challenge_methods_supported", [AuthorizeRequests.S256]);
            Array(w, "claims_supported", ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "token_use", "cognito:username", "cognito:groups",
                "email", "email_verified", "phone_number", "phone_number_verified"]);
            w.WriteEndObject();
        }

        return Results.Bytes(stream.ToArray(), "application/json");
    }

    private static void Array(Utf8JsonWriter writer, string name, string[] values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
