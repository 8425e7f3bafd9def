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

    private readonly Sealing.SealedBox _box = new(new Sealing.StoredSecret(keys, time, Purpose), 2048);

    public HostedSessionTicket New(string userPoolId, string sub, DateTimeOffset authTime) =>
        new(userPoolId, sub, authTime, time.GetUtcNow() + Lifetime);

    public async Task<string> SealAsync(HostedSessionTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return await _box.SealAsync(JsonSerializer.SerializeToUtf8Bytes(ticket, OAuthStoreJsonContext.Default.HostedSessionTicket), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The ticket when <paramref name="sealedTicket"/> is intact, unexpired, and for <paramref name="userPoolId"/>; otherwise null.</summary>
    public async Task<HostedSessionTicket?> OpenAsync(string? sealedTicket, string userPoolId, CancellationToken cancellationToken)
    {
        var ticket = await TryOpenAsync(sealedTicket, cancellationToken).ConfigureAwait(false);
        return ticket is not null && ticket.UserPoolId == userPoolId && time.GetUtcNow() < ticket.ExpiresAt ? ticket : null;
    }

    private async Task<HostedSessionTicket?> TryOpenAsync(string? sealedTicket, CancellationToken cancellationToken) =>
        await _box.OpenAsync(sealedTicket, cancellationToken).ConfigureAwait(false) is { } plain
            ? JsonSerializer.Deserialize(plain, OAuthStoreJsonContext.Default.HostedSessionTicket)
            : null;

}
