using IdentityBroker.Errors;
using IdentityBroker.Server.OAuth;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Federation;
using IdentityBroker.UserPools.Federation.Upstream;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.Triggers;

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

    /// <summary>Apple's form_post: code, state, user (a few hundred bytes) and maybe id_token; 16 KiB is ample.</summary>
    private const int MaxPostBytes = 16 * 1024;

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
        domain.MapPost(IdpResponsePath, IdpResponsePostAsync);
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

        context.Response.Cookies.Append(StateCookie, await states.SealAsync(state, context.RequestAborted),
            CookieOptions(context, state.ExpiresAt, crossSitePost: provider.ProviderType == IdentityProviderTypes.SignInWithApple));
        return Results.Redirect(url.AbsoluteUri);
    }

    private static Task<IResult> IdpResponseAsync(HttpContext context, FederationStates states, AuthorizeRequests requests,
        IUserPoolIdentityProviderStore providers, UpstreamSignIn upstream, FederatedUsers users, HostedSessions sessions,
        AuthorizationCompletion completion, TimeProvider time) =>
        ReturnAsync(context, OAuthQuery.Single(context.Request.Query), new(states, requests, providers, upstream, users, sessions, completion, time));

    /// <summary>
    /// Sign in with Apple's <c>response_mode=form_post</c>: Apple posts <c>code</c>, <c>state</c> (and <c>user</c> on the
    /// first authorization) from its own site. The form carries no CSRF field of the broker's; what ties it to this
    /// browser's request is the same as for the GET: the returned <c>state</c> must be the one sealed in this browser's
    /// federation cookie (RFC 6749 §10.12), which for Apple is SameSite=None so that the cross-site post carries it.
    /// </summary>
    private static async Task<IResult> IdpResponsePostAsync(HttpContext context, FederationStates states, AuthorizeRequests requests,
        IUserPoolIdentityProviderStore providers, UpstreamSignIn upstream, FederatedUsers users, HostedSessions sessions,
        AuthorizationCompletion completion, TimeProvider time)
    {
        var form = await HostedUi.HostedUiEndpoints.ReadFormAsync(context, MaxPostBytes, valueCount: 8, valueLength: AppleUserForm.MaxLength);
        return await ReturnAsync(context, form is null ? null : OAuthQuery.Single(form), new(states, requests, providers, upstream, users, sessions, completion, time));
    }

    /// <summary>The services of the provider's return, GET or POST.</summary>
    private sealed record ReturnServices(FederationStates States, AuthorizeRequests Requests, IUserPoolIdentityProviderStore Providers,
        UpstreamSignIn Upstream, FederatedUsers Users, HostedSessions Sessions, AuthorizationCompletion Completion, TimeProvider Time);

    private static async Task<IResult> ReturnAsync(HttpContext context, IReadOnlyDictionary<string, string?>? query, ReturnServices services)
    {
        var (states, requests, providers, upstream, users, sessions, completion, time) = services;
        var pool = context.UserPoolDomain()!;
        var state = await states.OpenAsync(context.Request.Cookies[StateCookie], pool.Id, context.RequestAborted);
        context.Response.Cookies.Delete(StateCookie, CookieOptions(context, null, crossSitePost: HttpMethods.IsPost(context.Request.Method)));
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
        var user = signedIn.IsSuccess
            ? await users.SignInAsync(pool, validated.Value.Value.Client.ClientId, AppleUserForm.WithName(signedIn.Value, query.GetValueOrDefault("user")),
                context.RequestAborted)
            : signedIn.Error!;
        if (!user.IsSuccess)
        {
            return OAuthPages.RedirectError(request!, Redirected(ForClient(user.Error!)));
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

    /// <summary>
    /// A failed federated sign-in as the app sees it: a refused or disabled user is <c>access_denied</c>; a trigger's error
    /// is Cognito's <c>invalid_request</c> with the trigger's message (<see cref="TriggerErrors.ForRedirect"/>).
    /// </summary>
    internal static AwsError ForClient(AwsError error) => error.Type == "NotAuthorizedException"
        ? new AwsError("access_denied", error.Message)
        : TriggerErrors.IsTriggerError(error) ? TriggerErrors.ForRedirect(error) : error;

    /// <summary>The same error, marked to go back to the client (RFC 6749 §4.1.2.1: the client and redirect URI are verified).</summary>
    private static AwsError Redirected(AwsError error) => error with { StatusCode = 302 };

    /// <summary>
    /// The state cookie. Apple returns by a cross-site POST, which a SameSite=Lax cookie does not go with: its cookie is
    /// SameSite=None, which browsers take only when Secure (Chromium and Firefox also take Secure cookies from
    /// http://localhost and its subdomains, so the default domain suffix works without https).
    /// </summary>
    private static CookieOptions CookieOptions(HttpContext context, DateTimeOffset? expires, bool crossSitePost = false) => new()
    {
        HttpOnly = true,
        SameSite = crossSitePost ? SameSiteMode.None : SameSiteMode.Lax,
        Secure = crossSitePost || context.Request.IsHttps,
        Path = IdpResponsePath,
        Expires = expires,
        IsEssential = true,
    };
}
