using System.Text;
using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Users;

/// <summary>
/// ListUsers' Filter, as the API reference defines it: <c>AttributeName Filter-Type "AttributeValue"</c>, the type
/// <c>=</c> (exact) or <c>^=</c> (starts with), quotes inside the value escaped with a backslash, one attribute among
/// username (case-sensitive), email, phone_number, name, given_name, family_name, preferred_username,
/// cognito:user_status (case-insensitive), status (Enabled/Disabled, case-sensitive) and sub. Custom attributes are not
/// searchable. An empty filter lists every user.
/// </summary>
public sealed class UserFilter
{
    private static readonly HashSet<string> Searchable = new(StringComparer.Ordinal)
    {
        "username", StandardAttributes.Email, StandardAttributes.PhoneNumber, "name", "given_name", "family_name",
        StandardAttributes.PreferredUsername, "cognito:user_status", "status", StandardAttributes.Sub,
    };

    private readonly string _attribute;
    private readonly bool _prefix;
    private readonly string _value;

    private UserFilter(string attribute, bool prefix, string value) => (_attribute, _prefix, _value) = (attribute, prefix, value);

    /// <summary>Null filter (list everything) for null or blank text; InvalidParameterException for a malformed one.</summary>
    public static Result<UserFilter?> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Result<UserFilter?>.Ok(null);
        }

        var rest = text.AsSpan().Trim();
        var nameEnd = rest.IndexOfAny(" \t=^");
        if (nameEnd <= 0)
        {
            return UserErrors.BadFilter;
        }

        var name = rest[..nameEnd].ToString();
        rest = rest[nameEnd..].TrimStart();
        var prefix = rest.StartsWith("^=", StringComparison.Ordinal);
        if (!prefix && !rest.StartsWith("=", StringComparison.Ordinal))
        {
            return UserErrors.BadFilter;
        }

        rest = rest[(prefix ? 2 : 1)..].TrimStart();
        return Searchable.Contains(name) && Quoted(rest) is { } value
            ? Result<UserFilter?>.Ok(new UserFilter(name, prefix, value))
            : UserErrors.BadFilter;
    }

    public bool Matches(PoolUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var (actual, comparison) = _attribute switch
        {
            "username" => (user.Username, StringComparison.Ordinal),
            "cognito:user_status" => (user.UserStatus, StringComparison.OrdinalIgnoreCase),
            "status" => (user.Enabled ? "Enabled" : "Disabled", StringComparison.Ordinal),
            _ => (user.Attribute(_attribute), StringComparison.Ordinal),
        };
        return actual is not null && (_prefix ? actual.StartsWith(_value, comparison) : actual.Equals(_value, comparison));
    }

    /// <summary>The whole remaining text as one double-quoted string with backslash escapes, or null.</summary>
    private static string? Quoted(ReadOnlySpan<char> text)
    {
        if (text.Length < 2 || text[0] != '"')
        {
            return null;
        }

        var value = new StringBuilder();
        for (var i = 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\' when i + 1 < text.Length:
                    value.Append(text[++i]);
                    break;
                case '\\':
                    return null;
                case '"':
                    return i == text.Length - 1 ? value.ToString() : null;
                default:
                    value.Append(text[i]);
                    break;
            }
        }

        return null;
    }
}
