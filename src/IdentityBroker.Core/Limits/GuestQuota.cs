using IdentityBroker.Errors;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Limits;

/// <summary>
/// New guest identities per client address (docs/limits.md): GetId without Logins, by default 60 a minute per address, counted
/// per broker (and across replicas with the Redis store). A request whose address is unknown is not counted.
/// </summary>
public sealed class GuestQuota(IOptions<LimitsOptions> options, IRateCounter counter, TimeProvider time)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly int _perMinute = options.Value.GuestsPerAddressPerMinute;

    /// <summary>Null when a new guest may be created for <paramref name="sourceIp"/>; else the throttling refusal.</summary>
    public async ValueTask<AwsError?> CheckAsync(string? sourceIp, CancellationToken cancellationToken)
    {
        if (_perMinute == 0 || sourceIp is null)
        {
            return null;
        }

        var wait = await counter.TryCountAsync("guest:" + sourceIp, _perMinute, Minute, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return wait is { } retry ? CognitoErrors.TooManyRequests(retry) : null;
    }
}
