using System.Text.Json;
using System.Text.Json.Serialization;
using IdentityBroker.Storage;

namespace IdentityBroker.UserPools.HostedUi;

/// <summary>What the hosted sign-up page hands the browser that signed up: who, at which pool and client, until when.</summary>
public sealed record SignUpTicket(string UserPoolId, string ClientId, string Sub, DateTimeOffset ExpiresAt);

/// <summary>
/// The hosted UI's sign-up ticket: after a successful sign-up, the browser that typed the password gets this sealed ticket
/// (AES-256-GCM under its own broker key, purpose <see cref="Purpose"/>, so it can never pass for a hosted session), and
/// when it confirms that same user the ticket stands in for the password it just proved: the user is signed in, as
/// Cognito's hosted UI signs a user in after the confirmation page. It lasts <see cref="Lifetime"/>, the hosted session's
/// own lifetime, long enough to read the code from the mail.
/// </summary>
public sealed class SignUpTickets(IKeyStore keys, TimeProvider time)
{
    public const string Purpose = "userpool-hosted-signup";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly Sealing.SealedBox _box = new(new Sealing.StoredSecret(keys, time, Purpose), 2048);

    public Task<string> SealAsync(string userPoolId, string clientId, string sub, CancellationToken cancellationToken) =>
        _box.SealAsync(JsonSerializer.SerializeToUtf8Bytes(new SignUpTicket(userPoolId, clientId, sub, time.GetUtcNow() + Lifetime),
            SignUpTicketJsonContext.Default.SignUpTicket), cancellationToken);

    /// <summary>The user's sub when <paramref name="sealedTicket"/> is intact, unexpired, and for this pool and client; otherwise null.</summary>
    public async Task<string?> OpenAsync(string? sealedTicket, string userPoolId, string clientId, CancellationToken cancellationToken)
    {
        if (await _box.OpenAsync(sealedTicket, cancellationToken).ConfigureAwait(false) is not { } plain)
        {
            return null;
        }

        var ticket = JsonSerializer.Deserialize(plain, SignUpTicketJsonContext.Default.SignUpTicket);
        return ticket is not null && ticket.UserPoolId == userPoolId && ticket.ClientId == clientId && time.GetUtcNow() < ticket.ExpiresAt
            ? ticket.Sub
            : null;
    }
}

[JsonSerializable(typeof(SignUpTicket))]
internal sealed partial class SignUpTicketJsonContext : JsonSerializerContext;
