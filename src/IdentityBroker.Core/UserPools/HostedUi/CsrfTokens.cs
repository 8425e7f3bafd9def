using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Storage;

namespace IdentityBroker.UserPools.HostedUi;

/// <summary>
/// The CSRF defence of the hosted pages' forms: a random token in the browser's XSRF-TOKEN cookie (HttpOnly, set by the
/// pages), and in each form a MAC of that token and the pool (<see cref="FormToken"/>). A POST is taken only when its form
/// field is the MAC of the cookie it came with (<see cref="Check"/>): another site can neither read the cookie nor
/// compute the MAC, and a cookie planted from a sibling domain is useless without the broker's key. The key is stored
/// (<see cref="IKeyStore"/>), so every broker of a deployment accepts the forms of the others.
/// </summary>
public sealed class CsrfTokens(IKeyStore keys, TimeProvider time)
{
    public const string Purpose = "hostedui-csrf";
    private const int TokenBytes = 32;
    private readonly Sealing.StoredSecret _secret = new(keys, time, Purpose);

    /// <summary>A new cookie token: 32 random bytes, base64url.</summary>
    public static string NewCookieToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>Whether <paramref name="cookieToken"/> has the form <see cref="NewCookieToken"/> gives (else a new one is set).</summary>
    public static bool IsWellFormed(string? cookieToken) =>
        cookieToken is { Length: 43 } && Base64Url.IsValid(cookieToken);

    public async Task<string> FormTokenAsync(string cookieToken, string userPoolId, CancellationToken cancellationToken) =>
        FormToken(await _secret.GetAsync(cancellationToken).ConfigureAwait(false), cookieToken, userPoolId);

    /// <summary>True only when both tokens are there and <paramref name="formToken"/> is the MAC of <paramref name="cookieToken"/> for the pool.</summary>
    public async Task<bool> CheckAsync(string? cookieToken, string userPoolId, string? formToken, CancellationToken cancellationToken)
    {
        if (!IsWellFormed(cookieToken) || string.IsNullOrEmpty(formToken) || formToken.Length > 64)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(FormToken(await _secret.GetAsync(cancellationToken).ConfigureAwait(false), cookieToken!, userPoolId));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(formToken));
    }

    /// <summary>HMAC-SHA256(key, "hostedui-csrf/v1|pool|cookie token"), base64url.</summary>
    public static string FormToken(byte[] key, string cookieToken, string userPoolId)
    {
        ArgumentNullException.ThrowIfNull(cookieToken);
        ArgumentNullException.ThrowIfNull(userPoolId);
        return Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Purpose}/v1|{userPoolId}|{cookieToken}")));
    }

}
