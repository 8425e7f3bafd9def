using System.Globalization;

namespace IdentityBroker.Policies;

/// <summary>The request context of an evaluation: condition keys (case-insensitive, as in IAM) to one or more values.</summary>
public sealed class ConditionContext
{
    private readonly Dictionary<string, IReadOnlyList<string>> _values = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values => _values;

    public ConditionContext Set(string key, string value)
    {
        _values[key] = [value];
        return this;
    }

    public ConditionContext Set(string key, IReadOnlyList<string> values)
    {
        _values[key] = values;
        return this;
    }

    /// <summary>The global keys <c>aws:CurrentTime</c> (ISO 8601, UTC) and <c>aws:EpochTime</c>, present in every request context.</summary>
    public ConditionContext SetTime(DateTimeOffset now) =>
        Set("aws:CurrentTime", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))
            .Set("aws:EpochTime", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

    /// <returns>The values of the key, or null when the request does not carry it.</returns>
    public IReadOnlyList<string>? Get(string key) =>
        _values.TryGetValue(key, out var values) && values.Count > 0 ? values : null;
}
