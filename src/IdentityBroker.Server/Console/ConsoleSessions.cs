using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Sealing;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Sessions;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Console;

/// <summary>A signed-in console session: its id binds the CSRF tokens of its forms; the admin key that signed in signs its audit records.</summary>
public sealed record ConsoleSession(string Id, string AccessKeyId)
{
    /// <summary>What the CSRF token of this session's forms is bound to (<see cref="UserPools.HostedUi.CsrfTokens"/>).</summary>
    public string CsrfBinding => "console:" + Id;
}

/// <summary>
/// The console's sign-in session (docs/console.md, "Sign-in"). The browser holds a sealed ticket (<see cref="SealedBox"/>:
/// the session id and when it was last used) in an HttpOnly, SameSite=Strict cookie, Secure and <c>__Host-</c> prefixed over
/// https; the session itself is kept in the user-pool session store under the reserved pool id <see cref="StorePoolId"/>
/// (a user pool id always has a region and an underscore, so it never names a real pool), so that sign-out revokes it on
/// every replica and a copied cookie stops working. A ticket unused for <see cref="ConsoleOptions.IdleTimeout"/> is refused;
/// each request renews it.
/// </summary>
internal sealed class ConsoleSessions(IUserPoolSessionStore store, IKeyStore keys, TimeProvider time, IOptions<BrokerOptions> options)
{
    public const string StorePoolId = "console";
    public const string Cookie = "ib-console";
    public const string SecureCookie = "__Host-ib-console";

    /// <summary>However active, a session ends after this long.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(12);

    private const string Subject = "admin";
    private readonly SealedBox _box = new(new StoredSecret(keys, time, "console-session"), maxSealedLength: 256);

    private TimeSpan IdleTimeout => options.Value.Console.IdleTimeout;

    public async Task StartAsync(HttpContext http, string accessKeyId)
    {
        ArgumentNullException.ThrowIfNull(http);
        var now = time.GetUtcNow();
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        // The store's session record wants a refresh-token hash; a console session has none, so a random one that matches nothing.
        var unused = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var session = new UserPoolSession(StorePoolId, id, StorePoolId, Subject, accessKeyId, unused, now, now, now + MaxLifetime);
        if (!await store.TryCreateSessionAsync(session, http.RequestAborted).ConfigureAwait(false))
        {
            throw new InvalidOperationException("A random console session id was taken.");
        }

        await WriteTicketAsync(http, id, now).ConfigureAwait(false);
    }

    /// <summary>The request's live session (its ticket renewed on the response), or null.</summary>
    public async Task<ConsoleSession?> CurrentAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var plain = await _box.OpenAsync(http.Request.Cookies[CookieName(http)], http.RequestAborted).ConfigureAwait(false);
        if (plain is null || Encoding.UTF8.GetString(plain).Split('|') is not [var id, var lastUsed]
            || !long.TryParse(lastUsed, NumberStyles.None, CultureInfo.InvariantCulture, out var lastUsedSeconds))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now - DateTimeOffset.FromUnixTimeSeconds(lastUsedSeconds) > IdleTimeout)
        {
            return null;
        }

        var stored = await store.GetSessionAsync(StorePoolId, id, http.RequestAborted).ConfigureAwait(false);
        if (stored is null || stored.Revoked || stored.ExpiresAt <= now)
        {
            return null;
        }

        await WriteTicketAsync(http, id, now).ConfigureAwait(false);
        return new ConsoleSession(id, stored.Username);
    }

    /// <summary>Sign-out: the session is revoked in the store (a copy of the cookie is refused from now on) and the cookie deleted.</summary>
    public async Task EndAsync(HttpContext http, ConsoleSession session)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(session);
        await store.RevokeSessionAsync(StorePoolId, session.Id, http.RequestAborted).ConfigureAwait(false);
        http.Response.Cookies.Delete(CookieName(http), CookieOptions(http));
    }

    private async Task WriteTicketAsync(HttpContext http, string id, DateTimeOffset now)
    {
        var ticket = Encoding.UTF8.GetBytes(id + "|" + now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        http.Response.Cookies.Append(CookieName(http), await _box.SealAsync(ticket, http.RequestAborted).ConfigureAwait(false), CookieOptions(http));
    }

    /// <summary>Over plain http (local development) the cookie cannot take the <c>__Host-</c> prefix, which requires Secure.</summary>
    private static string CookieName(HttpContext http) => http.Request.IsHttps ? SecureCookie : Cookie;

    private static CookieOptions CookieOptions(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/",
        IsEssential = true,
    };
}
