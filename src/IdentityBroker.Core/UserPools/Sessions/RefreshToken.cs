using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace IdentityBroker.UserPools.Sessions;

/// <summary>
/// An opaque refresh token: base64url of a version byte, the pool id, the session id (a GUID) and 32 random bytes. The
/// pool and session say where to look (RevokeToken names only the client); the random part is the secret, stored only as
/// its SHA-256 (it has 256 bits of entropy, so a fast hash suffices). The alphabet fits the model's TokenModelType
/// (<c>[A-Za-z0-9-_=.]+</c>); there are no dots, so no client mistakes it for a JWT.
/// </summary>
public sealed record RefreshToken(string UserPoolId, string SessionId, byte[] Secret)
{
    private const byte Version = 1;
    private const int SecretLength = 32;

    /// <summary>A new token for a new session of <paramref name="userPoolId"/>.</summary>
    public static RefreshToken New(string userPoolId) =>
        new(userPoolId, Guid.NewGuid().ToString(), RandomNumberGenerator.GetBytes(SecretLength));

    public string Encode()
    {
        var pool = Encoding.ASCII.GetBytes(UserPoolId);
        var bytes = new byte[2 + pool.Length + 16 + SecretLength];
        bytes[0] = Version;
        bytes[1] = (byte)pool.Length;
        pool.CopyTo(bytes, 2);
        Guid.Parse(SessionId).TryWriteBytes(bytes.AsSpan(2 + pool.Length, 16));
        Secret.CopyTo(bytes, 2 + pool.Length + 16);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Null for anything this broker did not write (a JWT, garbage, another version).</summary>
    public static RefreshToken? TryDecode(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 256 || !Base64Url.IsValid(token))
        {
            return null;
        }

        var bytes = Base64Url.DecodeFromChars(token);
        if (bytes.Length < 2 || bytes[0] != Version || bytes.Length != 2 + bytes[1] + 16 + SecretLength)
        {
            return null;
        }

        var pool = bytes.AsSpan(2, bytes[1]);
        if (pool.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E))
        {
            return null;
        }

        var session = new Guid(bytes.AsSpan(2 + bytes[1], 16)).ToString();
        return new RefreshToken(Encoding.ASCII.GetString(pool), session, bytes[(2 + bytes[1] + 16)..]);
    }

    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Secret));

    /// <summary>Whether <paramref name="storedHash"/> is this token's, compared in constant time.</summary>
    public bool Matches(string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash()), Encoding.ASCII.GetBytes(storedHash));
}
