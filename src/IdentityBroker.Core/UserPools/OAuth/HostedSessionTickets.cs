using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdentityBroker.Storage;

namespace IdentityBroker.UserPools.OAuth;

/// <summary>What the hosted-session cookie carries: who signed in at which pool's domain, when, and until when it is honoured.</summary>
public sealed record HostedSessionTicket(string UserPoolId, string Sub, DateTimeOffset AuthTime, DateTimeOffset ExpiresAt);

/// <summary>
/// Seals <see cref="HostedSessionTicket"/>s with AES-256-GCM under one broker key kept in the store (purpose
/// <see cref="Purpose"/>, created on first use, first writer wins), so every replica opens what another sealed and nothing
/// a browser changes survives the tag. Cognito's hosted-UI session lasts <see cref="Lifetime"/> (1 hour).
/// </summary>
public sealed class HostedSessionTickets(IKeyStore keys, TimeProvider time)
{
    public const string Purpose = "userpool-hosted-session";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int MaxSealedLength = 2048;
    private static readonly byte[] AssociatedData = Encoding.ASCII.GetBytes(Purpose + "/v1");

    private byte[]? _key;

    public HostedSessionTicket New(string userPoolId, string sub, DateTimeOffset authTime) =>
        new(userPoolId, sub, authTime, time.GetUtcNow() + Lifetime);

    public async Task<string> SealAsync(HostedSessionTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var plain = JsonSerializer.SerializeToUtf8Bytes(ticket, OAuthStoreJsonContext.Default.HostedSessionTicket);
        var sealedBytes = new byte[1 + NonceBytes + TagBytes + plain.Length];
        sealedBytes[0] = Version;
        var nonce = sealedBytes.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(1 + NonceBytes + TagBytes), sealedBytes.AsSpan(1 + NonceBytes, TagBytes), AssociatedData);
        return Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The ticket when <paramref name="sealedTicket"/> is intact, unexpired, and for <paramref name="userPoolId"/>; otherwise null.</summary>
    public async Task<HostedSessionTicket?> OpenAsync(string? sealedTicket, string userPoolId, CancellationToken cancellationToken)
    {
        var ticket = await TryOpenAsync(sealedTicket, cancellationToken).ConfigureAwait(false);
        return ticket is not null && ticket.UserPoolId == userPoolId && time.GetUtcNow() < ticket.ExpiresAt ? ticket : null;
    }

    private async Task<HostedSessionTicket?> TryOpenAsync(string? sealedTicket, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sealedTicket) || sealedTicket.Length > MaxSealedLength || !Base64Url.IsValid(sealedTicket))
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(sealedTicket.Length)];
        if (!Base64Url.TryDecodeFromChars(sealedTicket, bytes, out var length) || length <= 1 + NonceBytes + TagBytes || bytes[0] != Version)
        {
            return null;
        }

        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var plain = new byte[length - 1 - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(bytes.AsSpan(1, NonceBytes), bytes.AsSpan(1 + NonceBytes + TagBytes, plain.Length),
                bytes.AsSpan(1 + NonceBytes, TagBytes), plain, AssociatedData);
            return JsonSerializer.Deserialize(plain, OAuthStoreJsonContext.Default.HostedSessionTicket);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } cached)
        {
            return cached;
        }

        var stored = await keys.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0)
        {
            // A fixed id: replicas creating it at once keep the first (the store refuses a second key with the same id).
            await keys.TryAddKeyAsync(new StoredKey(Purpose, Purpose, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), time.GetUtcNow()),
                cancellationToken).ConfigureAwait(false);
            stored = await keys.GetKeysAsync(Purpose, cancellationToken).ConfigureAwait(false);
        }

        var key = Convert.FromBase64String(stored.OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).First().Material);
        _key = key;
        return key;
    }
}
