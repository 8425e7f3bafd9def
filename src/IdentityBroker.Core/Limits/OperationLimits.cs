using System.Collections.Frozen;
using IdentityBroker.Errors;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Limits;

/// <summary>
/// The request-rate limits of the edge (docs/limits.md): the preset's quotas with <see cref="LimitsOptions.Operations"/> over
/// them, by <c>service:Operation</c>, each counted per second across the broker (and its replicas, with the Redis store).
/// With no limit configured <see cref="IsEmpty"/> is true and the edge never calls <see cref="CheckAsync"/>.
/// </summary>
public sealed class OperationLimits
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly FrozenDictionary<string, CognitoQuotas.Quota> _limits;
    private readonly IRateCounter _counter;
    private readonly TimeProvider _time;

    public OperationLimits(IOptions<LimitsOptions> options, IRateCounter counter, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _counter = counter;
        _time = time;
        var value = options.Value;
        var limits = string.Equals(value.Preset, LimitsOptions.CognitoPreset, StringComparison.OrdinalIgnoreCase)
            ? new Dictionary<string, CognitoQuotas.Quota>(CognitoQuotas.Operations, StringComparer.Ordinal)
            : new Dictionary<string, CognitoQuotas.Quota>(StringComparer.Ordinal);
        foreach (var (operation, rate) in value.OperationRates())
        {
            if (rate == 0)
            {
                limits.Remove(operation);
            }
            else
            {
                limits[operation] = new CognitoQuotas.Quota(operation, rate);
            }
        }

        _limits = limits.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public bool IsEmpty => _limits.Count == 0;

    /// <summary>Null when the call may run; else the throttling refusal.</summary>
    public async ValueTask<AwsError?> CheckAsync(string service, string operation, CancellationToken cancellationToken)
    {
        if (!TryFind(service, operation, out var quota))
        {
            return null;
        }

        var wait = await _counter.TryCountAsync("op:" + quota.Bucket, quota.RequestsPerSecond, Second, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (wait is not { } retry)
        {
            return null;
        }

        // Cognito Sync's model gives its TooManyRequestsException HTTP 429 (the JSON 1.1 services answer 400).
        var throttled = CognitoErrors.TooManyRequests(retry);
        return service == "cognito-sync" ? throttled with { StatusCode = 429 } : throttled;
    }

    /// <summary>The lookup without building the <c>service:Operation</c> string.</summary>
    private bool TryFind(string service, string operation, out CognitoQuotas.Quota quota)
    {
        var lookup = _limits.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> key = stackalloc char[service.Length + 1 + operation.Length];
        service.AsSpan().CopyTo(key);
        key[service.Length] = ':';
        operation.AsSpan().CopyTo(key[(service.Length + 1)..]);
        return lookup.TryGetValue(key, out quota!);
    }
}
