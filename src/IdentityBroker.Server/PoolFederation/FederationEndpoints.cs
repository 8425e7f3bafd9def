using IdentityBroker.Errors;
using IdentityBroker.Server.OAuth;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Federation;
using IdentityBroker.UserPools.Federation.Upstream;
using IdentityBroker.UserPools.OAuth;

namespace IdentityBroker.Server.PoolFederation;

/// <summary>
/// Federated sign-in through a pool's domain (Cognito developer guide, "Authorize endpoint", identity_provider and
/// idp_identifier; "IdP response endpoint"): <c>/oauth2/authorize</c> naming a provider sends the browser to it with a
/// sealed state cookie; <c>/oauth2/idpresponse</c> checks the state against that cookie, completes the code flow, signs
/// the provider's user in as its pool user and answers the client as a hosted sign-in does.
/// </summary>
internal static class FederationEndpoints
{
    public const string IdpResponsePath = "/oauth2/idpresponse";

    /// <summary>The sealed <see cref="FederationState"/> between the two legs; HttpOnly, SameSite=Lax (the provider returns by a top-level GET).</summary>
    public const string StateCookie = "cognito-federation";

    /// <summary>True when the authorize request names a provider other than the pool's own sign-in.</summary>
    public static bool NamesProvider(AuthorizeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (request.IdentityProvider is { } name && name != AuthorizeRequests.CognitoProvider) || request.IdpIdentifier is not null;
    }

    public static void MapPoolFederation(this RouteGroupBuilder domain)
    {
        domain.MapGet(IdpResponsePath, IdpResponseAsync);
        domain.MapPoolSaml();
    }

    /// <summary>The branch of <c>/oauth2/authorize</c> for a validated request that names a provider.</summary>
    public static async Task<IResult> StartAsync(HttpContext context, ValidatedAuthorize validated)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(validated);
        var services = context.RequestServices;
        var request = validated.Request;
        var provider = await FindProviderAsync(services.GetRequiredService<IUserPoolIdentityProviderStore>(), validated, context.RequestAborted);
        if (provider is null)
        {
            return OAuthPages.RedirectError(request, AuthorizeErrors.UnknownIdentityProvider);
        }

        if (provider.ProviderType == IdentityProviderTypes.Saml)
        {
            return await SamlEndpoints.StartAsync(context, validated, provider);
        }

        var states = services.GetRequiredService<FederationStates>();
        var state = states.New(validated.Pool.Id, provider.ProviderName, request.ToQueryString());
        var url = await services.GetRequiredService<UpstreamSignIn>()
            .AuthorizeUrlAsync(provider, state, context.DomainOrigin() + IdpResponsePath, context.RequestAborted);
        if (url is null)
        {
            return OAuthPages.RedirectError(request, Redirected(UpstreamErrors.ProviderUnavailable));
        }

        context.Response.Cookies.Append(StateCookie, await states.SealAsync(state, context.RequestAborted), CookieOptions(context, state.ExpiresAt));
        return Results.Redirect(url.AbsoluteUri);
    }

    private static async Task<IResult> IdpResponseAsync(HttpContext context, FederationStates states, AuthorizeRequests requests,
        IUserPoolIdentityProviderStore providers, UpstreamSignIn upstream, FederatedUsers users, HostedSessions sessions,
        AuthorizationCompletion completion, TimeProvider time)
    {
        var pool = context.UserPoolDomain()!;
        var query = OAuthQuery.Single(context.Request.Query);
        var state = await states.OpenAsync(context.Request.Cookies[StateCookie], pool.Id, context.RequestAborted);
        context.Response.Cookies.Delete(StateCookie, CookieOptions(context, null));
        // Without this browser's own state the return cannot be tied to a client request: shown, never redirected.
        if (query is null || state is null || !FederationStates.SameState(state, query.GetValueOrDefault("state")))
        {
            return OAuthPages.Error(UpstreamErrors.StateMismatch);
        }

        var request = AuthorizeRequest.FromQuery(ParseQuery(state.AuthorizeQuery));
        Result<ValidatedAuthorize>? validated = request is null ? null : (Result<ValidatedAuthorize>?)await requests.ValidateAsync(pool, request, context.RequestAborted);
        if (validated is not { IsSuccess: true } || await providers.GetProviderAsync(pool.Id, state.ProviderName, context.RequestAborted) is not { } provider)
        {
            return OAuthPages.Error(AuthorizeErrors.MissingClientOrRedirect);
        }

        if (query.GetValueOrDefault("error") is not null || query.GetValueOrDefault("code") is not { Length: > 0 } code)
        {
            return OAuthPages.RedirectError(request!, Redirected(new AwsError("access_denied", "The identity provider did not sign the user in.")));
        }

        var signedIn = await upstream.CompleteAsync(provider, state, code, context.DomainOrigin() + IdpResponsePath, context.RequestAborted);
        var user = signedIn.IsSuccess ? await users.SignInAsync(pool, signedIn.Value, context.RequestAborted) : signedIn.Error!;
        if (!user.IsSuccess)
        {
            return OAuthPages.RedirectError(request!, Redirected(user.Error!.Type == "NotAuthorizedException"
                ? new AwsError("access_denied", user.Error.Message) : user.Error!));
        }

        var now = time.GetUtcNow();
        await sessions.StartAsync(context, pool, user.Value, now);
        var redirect = await completion.CompleteAsync(validated.Value.Value, user.Value, now, context.RequestAborted);
        return Results.Redirect(redirect.AbsoluteUri);
    }

    /// <summary>
    /// identity_provider by name, or idp_identifier resolved to its provider; either must be one of the client's
    /// SupportedIdentityProviders (AuthorizeRequests checks identity_provider; an identifier is checked here once resolved).
    /// </summary>
    internal static async Task<PoolIdentityProvider?> FindProviderAsync(
        IUserPoolIdentityProviderStore providers, ValidatedAuthorize validated, CancellationToken cancellationToken)
    {
        var request = validated.Request;
        var provider = request.IdentityProvider is { } name && name != AuthorizeRequests.CognitoProvider
            ? await providers.GetProviderAsync(validated.Pool.Id, name, cancellationToken)
            : await providers.FindProviderByIdentifierAsync(validated.Pool.Id, request.IdpIdentifier!, cancellationToken);
        return provider is not null && validated.Client.Settings.SupportedIdentityProviders?.Contains(provider.ProviderName, StringComparer.Ordinal) == true
            ? provider
            : null;
    }

    internal static Dictionary<string, string?> ParseQuery(string query) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString(), StringComparer.Ordinal);

    /// <summary>The same error, marked to go back to the client (RFC 6749 §4.1.2.1: the client and redirect URI are verified).</summary>
    private static AwsError Redirected(AwsError error) => error with { StatusCode = 302 };

    private static CookieOptions CookieOptions(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        Path = IdpResponsePath,
        Expires = expires,
        IsEssential = true,
    };
}
