using IdentityBroker.Storage;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.SignIn;

namespace IdentityBroker.Server.OAuth;

/// <summary>
/// <c>GET /oauth2/authorize</c> on a pool's domain (Cognito developer guide, "Authorize endpoint"): bind the query, validate
/// (<see cref="AuthorizeRequests"/>), then complete at once for a current hosted session (no <c>prompt=login</c>), or send the
/// browser to the hosted sign-in page with the same query.
/// </summary>
internal static class AuthorizeEndpoint
{
    public const string Path = "/oauth2/authorize";
    public const string LoginPath = "/login";

    public static void MapAuthorize(this RouteGroupBuilder domain) => domain.MapGet(Path, AuthorizeAsync);

    private static async Task<IResult> AuthorizeAsync(
        HttpContext context, AuthorizeRequests requests, HostedSessions sessions, IUserStore users, AuthorizationCompletion completion,
        TimeProvider time)
    {
        var pool = context.UserPoolDomain()!;
        if (OAuthQuery.Single(context.Request.Query) is not { } query || AuthorizeRequest.FromQuery(query) is not { } request)
        {
            return OAuthPages.Error(AuthorizeErrors.MissingClientOrRedirect);
        }

        var validated = await requests.ValidateAsync(pool, request, context.RequestAborted);
        if (!validated.IsSuccess)
        {
            return AuthorizeErrors.IsShownAsPage(validated.Error!) ? OAuthPages.Error(validated.Error!) : OAuthPages.RedirectError(request, validated.Error!);
        }

        if (PoolFederation.FederationEndpoints.NamesProvider(request))
        {
            return await PoolFederation.FederationEndpoints.StartAsync(context, validated.Value);
        }

        if (!request.ForcesLogin && await sessions.CurrentAsync(context, pool) is { } session)
        {
            var user = await users.GetUserAsync(pool.Id, session.Sub, context.RequestAborted);
            if (user is not null && SignInRules.Refusal(user, time.GetUtcNow()) is null)
            {
                var redirect = await completion.CompleteAsync(validated.Value, user, session.AuthTime, context.RequestAborted);
                return Results.Redirect(redirect.AbsoluteUri);
            }

            sessions.End(context);
        }

        return Results.Redirect(LoginPath + "?" + request.ToQueryString());
    }
}

/// <summary>RFC 6749 §3.1: a parameter sent more than once makes the request invalid.</summary>
internal static class OAuthQuery
{
    public static IReadOnlyDictionary<string, string?>? Single(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values)
    {
        var single = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (value.Count > 1)
            {
                return null;
            }

            single[name] = value.ToString();
        }

        return single;
    }
}
