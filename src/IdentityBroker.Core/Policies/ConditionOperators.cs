using System.Globalization;
using System.Net;

namespace IdentityBroker.Policies;

/// <summary>
/// The condition operators of IAM (IAM User Guide, "Condition operators"). Each negated operator is the negation of a
/// positive one; matching always compares the request value (left) with the policy value (right).
/// </summary>
internal static class ConditionOperators
{
    private static readonly Dictionary<string, (string Positive, bool Negated)> Operators = new(StringComparer.Ordinal)
    {
        ["StringEquals"] = ("StringEquals", false),
        ["StringNotEquals"] = ("StringEquals", true),
        ["StringEqualsIgnoreCase"] = ("StringEqualsIgnoreCase", false),
        ["StringNotEqualsIgnoreCase"] = ("StringEqualsIgnoreCase", true),
        ["StringLike"] = ("StringLike", false),
        ["StringNotLike"] = ("StringLike", true),
        ["NumericEquals"] = ("NumericEquals", false),
        ["NumericNotEquals"] = ("NumericEquals", true),
        ["NumericLessThan"] = ("NumericLessThan", false),
        ["NumericLessThanEquals"] = ("NumericLessThanEquals", false),
        ["NumericGreaterThan"] = ("NumericGreaterThan", false),
        ["NumericGreaterThanEquals"] = ("NumericGreaterThanEquals", false),
        ["DateEquals"] = ("DateEquals", false),
        ["DateNotEquals"] = ("DateEquals", true),
        ["DateLessThan"] = ("DateLessThan", false),
        ["DateLessThanEquals"] = ("DateLessThanEquals", false),
        ["DateGreaterThan"] = ("DateGreaterThan", false),
        ["DateGreaterThanEquals"] = ("DateGreaterThanEquals", false),
        ["Bool"] = ("Bool", false),
        ["BinaryEquals"] = ("BinaryEquals", false),
        ["IpAddress"] = ("IpAddress", false),
        ["NotIpAddress"] = ("IpAddress", true),
        ["ArnEquals"] = ("ArnLike", false),
        ["ArnLike"] = ("ArnLike", false),
        ["ArnNotEquals"] = ("ArnLike", true),
        ["ArnNotLike"] = ("ArnLike", true),
        ["Null"] = ("Null", false),
    };

    public static bool IsKnown(string baseOperator) => Operators.ContainsKey(baseOperator);

    public static (string Positive, bool Negated) Resolve(string baseOperator) => Operators[baseOperator];

    /// <summary>True when the (already substituted) policy value is a wildcard pattern for this operator.</summary>
    public static bool UsesWildcards(string positive) => positive is "StringLike" or "ArnLike";

    public static bool Matches(string positive, string requestValue, string policyValue) => positive switch
    {
        "StringEquals" => string.Equals(requestValue, policyValue, StringComparison.Ordinal),
        "StringEqualsIgnoreCase" => string.Equals(requestValue, policyValue, StringComparison.OrdinalIgnoreCase),
        "StringLike" => Glob.IsMatch(policyValue, requestValue, ignoreCase: false),
        "Bool" => string.Equals(requestValue, policyValue, StringComparison.OrdinalIgnoreCase),
        "BinaryEquals" => string.Equals(requestValue, policyValue, StringComparison.Ordinal),
        "ArnLike" => ArnMatches(policyValue, requestValue),
        "IpAddress" => IpMatches(requestValue, policyValue),
        _ when positive.StartsWith("Numeric", StringComparison.Ordinal) => Compare(positive["Numeric".Length..], ParseNumber(requestValue), ParseNumber(policyValue)),
        _ when positive.StartsWith("Date", StringComparison.Ordinal) => Compare(positive["Date".Length..], ParseDate(requestValue), ParseDate(policyValue)),
        _ => throw new ArgumentOutOfRangeException(nameof(positive), positive, "Unknown condition operator."),
    };

    private static bool Compare<T>(string relation, T? left, T? right)
        where T : struct, IComparable<T>
    {
        if (left is null || right is null)
        {
            return false;
        }

        var c = left.Value.CompareTo(right.Value);
        return relation switch
        {
            "Equals" => c == 0,
            "LessThan" => c < 0,
            "LessThanEquals" => c <= 0,
            "GreaterThan" => c > 0,
            "GreaterThanEquals" => c >= 0,
            _ => throw new ArgumentOutOfRangeException(nameof(relation), relation, "Unknown comparison."),
        };
    }

    private static decimal? ParseNumber(string value) =>
        decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>IAM dates are ISO 8601 (W3C profile) or epoch seconds.</summary>
    private static DateTimeOffset? ParseDate(string value)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            return epoch <= 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(epoch) : null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
    }

    private static bool IpMatches(string requestValue, string policyValue)
    {
        if (!IPAddress.TryParse(requestValue, out var address))
        {
            return false;
        }

        if (IPNetwork.TryParse(policyValue, out var network))
        {
            return network.Contains(address);
        }

        return IPAddress.TryParse(policyValue, out var single) && single.Equals(address);
    }

    /// <summary>ARNs are compared per colon-separated component (the sixth keeps any further colons); each may hold wildcards.</summary>
    private static bool ArnMatches(string pattern, string arn)
    {
        Span<Range> patternParts = stackalloc Range[6];
        Span<Range> arnParts = stackalloc Range[6];
        if (pattern.AsSpan().Split(patternParts, ':') != 6 || arn.AsSpan().Split(arnParts, ':') != 6)
        {
            return pattern == "*" && arn.Length > 0;
        }

        for (var i = 0; i < 6; i++)
        {
            if (!Glob.IsMatch(pattern.AsSpan(patternParts[i]), arn.AsSpan(arnParts[i]), ignoreCase: false))
            {
                return false;
            }
        }

        return true;
    }
}
