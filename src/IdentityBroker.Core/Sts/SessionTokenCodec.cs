using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdentityBroker.Sts;

/// <summary>
/// Temporary credentials without server state. The session token is
/// <c>base64url(version ‖ len(kid) ‖ kid ‖ nonce ‖ tag ‖ AES-256-GCM(session JSON))</c> with version and kid as associated
/// data, so it is confidential and tamper-evident; the secret is HMAC-SHA256(secret key, access key id), recomputable
/// by any replica that holds the session key.
/// </summary>
public static class SessionTokenCodec
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary><c>ASIA</c> + 16 upper-case base32 characters (80 random bits), like STS's temporary key ids.</summary>
    public static string NewAccessKeyId() => string.Create(20, 0, static (chars, _) =>
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        "ASIA".CopyTo(chars);
        for (var i = 0; i < 16; i++)
        {
            chars[4 + i] = Base32[random[i] & 31];
        }
    });

    public static string DeriveSecret(string accessKeyId, SessionKey key)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> id = stackalloc byte[Encoding.UTF8.GetMaxByteCount(accessKeyId.Length)];
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key.SecretKey, id[..Encoding.UTF8.GetBytes(accessKeyId, id)], mac);
        Span<char> text = stackalloc char[44];
        Convert.TryToBase64Chars(mac, text, out _);
        return new string(text[..40]);
    }

    public static string Seal(StsSession session, SessionKey key)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(key);
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(SessionPayload.From(session), SessionJsonContext.Default.SessionPayload);
        var header = Header(key.KeyId);
        var output = new byte[header.Length + NonceSize + TagSize + plaintext.Length];
        header.CopyTo(output, 0);
        var nonce = output.AsSpan(header.Length, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        key.Sealer().Encrypt(nonce, plaintext, output.AsSpan(header.Length + NonceSize + TagSize), output.AsSpan(header.Length + NonceSize, TagSize), header);
        return System.Buffers.Text.Base64Url.EncodeToString(output);
    }

    /// <summary>The key id a token names, or null when it is not one of ours.</summary>
    public static string? ReadKeyId(string token)
    {
        var bytes = Decode(token);
        if (bytes is null || bytes.Length < 2 || bytes[0] != FormatVersion || bytes.Length < 2 + bytes[1] + NonceSize + TagSize)
        {
            return null;
        }

        return Encoding.ASCII.GetString(bytes, 2, bytes[1]);
    }

    /// <summary>The session, or null when the token was altered, sealed with another key, or is not ours.</summary>
    public static StsSession? Open(string token, SessionKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bytes = Decode(token);
        if (bytes is null || ReadKeyId(token) != key.KeyId)
        {
            return null;
        }

        var headerLength = 2 + bytes[1];
        var cipher = bytes.AsSpan(headerLength + NonceSize + TagSize);
        var plaintext = new byte[cipher.Length];
        try
        {
            key.Sealer().Decrypt(bytes.AsSpan(headerLength, NonceSize), cipher, bytes.AsSpan(headerLength + NonceSize, TagSize), plaintext, bytes.AsSpan(0, headerLength));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return JsonSerializer.Deserialize(plaintext, SessionJsonContext.Default.SessionPayload)?.ToSession();
    }

    private static byte[] Header(string keyId)
    {
        var id = Encoding.ASCII.GetBytes(keyId);
        var header = new byte[2 + id.Length];
        header[0] = FormatVersion;
        header[1] = checked((byte)id.Length);
        id.CopyTo(header, 2);
        return header;
    }

    private static byte[]? Decode(string token)
    {
        try
        {
            return Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(token);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static long ToUnix(DateTimeOffset value) => value.ToUnixTimeSeconds();

    internal sealed class SessionPayload
    {
        [JsonPropertyName("ak")] public string AccessKeyId { get; set; } = "";
        [JsonPropertyName("ra")] public string RoleArn { get; set; } = "";
        [JsonPropertyName("ri")] public string RoleId { get; set; } = "";
        [JsonPropertyName("sn")] public string SessionName { get; set; } = "";
        [JsonPropertyName("exp")] public long Expiration { get; set; }
        [JsonPropertyName("p")] public string? Policy { get; set; }
        [JsonPropertyName("pa")] public List<string>? PolicyArns { get; set; }
        [JsonPropertyName("t")] public Dictionary<string, string>? Tags { get; set; }
        [JsonPropertyName("tt")] public List<string>? TransitiveTagKeys { get; set; }
        [JsonPropertyName("si")] public string? SourceIdentity { get; set; }
        [JsonPropertyName("ia")] public long IssuedAt { get; set; }
        [JsonPropertyName("bp")] public string? BrokerPool { get; set; }
        [JsonPropertyName("bi")] public string? BrokerIdentity { get; set; }
        [JsonPropertyName("bm")] public List<string>? BrokerAmr { get; set; }

        public static SessionPayload From(StsSession s) => new()
        {
            AccessKeyId = s.AccessKeyId,
            RoleArn = s.RoleArn,
            RoleId = s.RoleId,
            SessionName = s.SessionName,
            Expiration = ToUnix(s.Expiration),
            Policy = s.Policy,
            PolicyArns = s.PolicyArns.Count == 0 ? null : [.. s.PolicyArns],
            Tags = s.Tags.Count == 0 ? null : new Dictionary<string, string>(s.Tags),
            TransitiveTagKeys = s.TransitiveTagKeys.Count == 0 ? null : [.. s.TransitiveTagKeys],
            SourceIdentity = s.SourceIdentity,
            IssuedAt = s.IssuedAt.ToUnixTimeMilliseconds(),
            BrokerPool = s.BrokerScope?.IdentityPoolId,
            BrokerIdentity = s.BrokerScope?.IdentityId,
            BrokerAmr = s.BrokerScope is { } scope ? [.. scope.Amr] : null,
        };

        // A token sealed before sessions carried their issue time reads as issued at the epoch: any revocation of its scope refuses it.
        public StsSession ToSession() => new()
        {
            AccessKeyId = AccessKeyId,
            RoleArn = RoleArn,
            RoleId = RoleId,
            SessionName = SessionName,
            Expiration = DateTimeOffset.FromUnixTimeSeconds(Expiration),
            Policy = Policy,
            PolicyArns = PolicyArns ?? [],
            Tags = Tags ?? [],
            TransitiveTagKeys = TransitiveTagKeys ?? [],
            SourceIdentity = SourceIdentity,
            IssuedAt = DateTimeOffset.FromUnixTimeMilliseconds(IssuedAt),
            BrokerScope = BrokerPool is { } pool && BrokerIdentity is { } identity
                ? new Revocations.SessionScope(pool, identity, BrokerAmr ?? [], DateTimeOffset.FromUnixTimeMilliseconds(IssuedAt))
                : null,
        };
    }
}

[JsonSerializable(typeof(SessionTokenCodec.SessionPayload))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
