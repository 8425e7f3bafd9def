using System.Globalization;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Users;

/// <summary>
/// What a pool's schema (SchemaAttributeType) asks of the values written to its attributes: an attribute with
/// <c>Mutable</c> false is set at creation only (AdminCreateUser, SignUp) and any later update naming it is refused;
/// <c>AttributeDataType</c> String keeps <c>StringAttributeConstraints</c> Min/MaxLength, Number is a number within
/// <c>NumberAttributeConstraints</c> Min/MaxValue, Boolean is <c>true</c> or <c>false</c>, DateTime an ISO 8601 date-time.
/// Errors are InvalidParameterException in the form Cognito gives schema refusals ("Attributes did not conform to the
/// schema: …" at creation, "user.&lt;name&gt;: …" on update, as <see cref="UserErrors.NotInSchema"/>); "Attribute cannot be
/// updated." is Cognito's reason for an immutable attribute, the constraint reasons are the broker's wording.
/// </summary>
public static class SchemaConstraints
{
    /// <summary>The first value of <paramref name="given"/> the schema refuses at creation, or null.</summary>
    public static AwsError? AtCreation(UserPool pool, IReadOnlyDictionary<string, string> given)
    {
        var refusal = FirstRefusal(pool, given, updating: false);
        return refusal is null
            ? null
            : UserPoolErrors.InvalidParameter($"Attributes did not conform to the schema: {refusal.Value.Name}: {refusal.Value.Reason}");
    }

    /// <summary>The first value of <paramref name="given"/> the schema refuses in an update, immutability first, or null.</summary>
    public static AwsError? AtUpdate(UserPool pool, IReadOnlyDictionary<string, string> given)
    {
        var refusal = FirstRefusal(pool, given, updating: true);
        return refusal is null ? null : UserPoolErrors.InvalidParameter($"user.{refusal.Value.Name}: {refusal.Value.Reason}");
    }

    private static (string Name, string Reason)? FirstRefusal(UserPool pool, IReadOnlyDictionary<string, string> given, bool updating)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(given);
        foreach (var attribute in pool.Schema ?? [])
        {
            if (!given.TryGetValue(attribute.Name, out var value))
            {
                continue;
            }

            if (updating && !attribute.Mutable)
            {
                return (attribute.Name, "Attribute cannot be updated.");
            }

            if (Reason(attribute, value) is { } reason)
            {
                return (attribute.Name, reason);
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="value"/> does not fit <paramref name="attribute"/>'s type and constraints; null when it does.</summary>
    public static string? Reason(SchemaAttribute attribute, string value)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(value);
        return attribute.AttributeDataType switch
        {
            "Number" => NumberReason(attribute, value),
            "Boolean" => value is "true" or "false" ? null : "Boolean must be true or false.",
            "DateTime" => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _)
                ? null
                : "DateTime must be an ISO 8601 date and time.",
            _ => StringReason(attribute, value),
        };
    }

    private static string? StringReason(SchemaAttribute attribute, string value)
    {
        // Lengths count characters as Cognito's constraints do (UTF-16 code units would split surrogate pairs).
        var length = value.EnumerateRunes().Count();
        if (Integer(attribute.MinLength) is { } min && length < min)
        {
            return $"String must be no shorter than {min} characters.";
        }

        return Integer(attribute.MaxLength) is { } max && length > max ? $"String must be no longer than {max} characters." : null;
    }

    private static string? NumberReason(SchemaAttribute attribute, string value)
    {
        if (!decimal.TryParse(value, NumberStyles.Integer | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return "Number is not a valid number.";
        }

        if (Decimal(attribute.MinValue) is { } min && number < min)
        {
            return $"Number must be no less than {attribute.MinValue}.";
        }

        return Decimal(attribute.MaxValue) is { } max && number > max ? $"Number must be no greater than {attribute.MaxValue}." : null;
    }

    private static long? Integer(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static decimal? Decimal(string? text) =>
        decimal.TryParse(text, NumberStyles.Integer | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;
}
