using System.Text.RegularExpressions;
using IdentityBroker.Errors;

namespace IdentityBroker.Iam.OidcProviders;

/// <summary>
/// Collects violations of the IAM model's constraints and words them as IAM does, e.g.
/// <c>3 validation errors detected: Value at 'clientIDList' failed to satisfy constraint: Member must satisfy constraint:
/// [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]; …</c>
/// (members in camelCase, sorted, values not echoed — as in recorded IAM replies).
/// </summary>
internal sealed class IamConstraintViolations
{
    private readonly List<string> _items = [];

    public bool NotNull(string member, object? value)
    {
        if (value is not null)
        {
            return true;
        }

        Add(member, "Member must not be null");
        return false;
    }

    public void Length(string member, string? value, int min, int max)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > max)
        {
            Add(member, $"Member must have length less than or equal to {max}");
        }
        else if (value.Length < min)
        {
            Add(member, $"Member must have length greater than or equal to {min}");
        }
    }

    /// <summary>A list whose members break their length constraint; IAM names both bounds of the member shape.</summary>
    public void MemberLengths(string member, IReadOnlyList<string> values, int min, int max)
    {
        if (values.Any(v => v.Length < min || v.Length > max))
        {
            Add(member, $"Member must satisfy constraint: [Member must have length less than or equal to {max}, Member must have length greater than or equal to {min}]");
        }
    }

    public void MaxItems(string member, int count, int max)
    {
        if (count > max)
        {
            Add(member, $"Member must have length less than or equal to {max}");
        }
    }

    public void Pattern(string member, string? value, Regex pattern, string patternText)
    {
        if (value is not null && !pattern.IsMatch(value))
        {
            Add(member, $"Member must satisfy regular expression pattern: {patternText}");
        }
    }

    public AwsError? ToError()
    {
        if (_items.Count == 0)
        {
            return null;
        }

        var sorted = _items.Order(StringComparer.Ordinal).ToList();
        var count = sorted.Count == 1 ? "1 validation error detected" : $"{sorted.Count} validation errors detected";
        return OidcProviderErrors.Validation($"{count}: {string.Join("; ", sorted)}");
    }

    private void Add(string member, string constraint) => _items.Add($"Value at '{member}' failed to satisfy constraint: {constraint}");
}
