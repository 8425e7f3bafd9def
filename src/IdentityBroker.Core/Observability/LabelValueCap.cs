using System.Collections.Concurrent;

namespace IdentityBroker.Observability;

/// <summary>
/// Guards one metrics label against unbounded cardinality: the first <c>limit</c> distinct values pass as they are, any
/// later new value is reported as <see cref="Other"/>. Pool ids and role ARNs are bounded by configuration; the cap holds
/// even when a configuration (or a bug) is not, so a scrape and a time-series database stay a bounded size.
/// </summary>
/// <remarks>A value already seen costs one lock-free dictionary lookup and allocates nothing.</remarks>
public sealed class LabelValueCap
{
    /// <summary>The value reported once the cap is reached.</summary>
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, string> _seen = new(StringComparer.Ordinal);
    private readonly Lock _adding = new();
    private readonly int _limit;

    public LabelValueCap(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
    }

    /// <summary><paramref name="value"/> while it is among the first distinct values, otherwise <see cref="Other"/>.</summary>
    public string Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_seen.ContainsKey(value))
        {
            return value;
        }

        lock (_adding)
        {
            if (_seen.Count >= _limit)
            {
                return Other;
            }

            _seen.TryAdd(value, value);
            return value;
        }
    }
}
