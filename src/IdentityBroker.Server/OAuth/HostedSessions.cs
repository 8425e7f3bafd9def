using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Server.OAuth;

/// <summary>
/// The browser's sign-in session at a pool's domain (Cognito's <c>cognito</c> cookie): a sealed
/// <see cref="HostedSessionTicket"/> (<see cref="HostedSessionTickets"/>: not guessable, not forgeable, bound to the pool),
/// HttpOnly, SameSite=Lax, Secure when the request came over https, host-only (no Domain attribute).
/// A session that a SAML IdP's single logout ended (<see cref="IdentityBroker.Storage.ISamlSessionStore"/>) is no longer current.
/// </summary>
public sealed class HostedSessions(HostedSessionTickets tickets, IdentityBroker.Storage.ISamlSessionStore signOuts, TimeProvider time)
{
    public const string CookieName = "cognito";

    public async Task StartAsync(HttpContext context, UserPool pool, PoolUser user, DateTimeOffset authTime)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        var ticket = tickets.New(pool.Id, user.Sub, authTime);
        var sealedTicket = await tickets.SealAsync(ticket, context.RequestAborted);
        context.Response.Cookies.Append(CookieName, sealedTicket, Options(context, ticket.ExpiresAt));
    }

    /// <summary>The signed-in user's sub and auth time, when the request carries a current session of this pool.</summary>
    public async Task<(string Sub, DateTimeOffset AuthTime)?> CurrentAsync(HttpContext context, UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pool);
        var ticket = await tickets.OpenAsync(context.Request.Cookies[CookieName], pool.Id, context.RequestAborted);
        if (ticket is null)
        {
            return null;
        }

        var signedOut = await signOuts.GetHostedSignOutAsync(pool.Id, ticket.Sub, time.GetUtcNow(), context.RequestAborted);
        return signedOut is { } at && ticket.AuthTime <= at ? null : (ticket.Sub, ticket.AuthTime);
    }

    public void End(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(CookieName, Options(context, null));
    }

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
