namespace IdentityBroker.UserPools.Users;

/// <summary>
/// The standard attributes of every user pool (Cognito developer guide, "Working with user attributes", standard
/// attributes: OpenID Connect's standard claims plus <c>sub</c>), with the data type DescribeUserPool reports for each.
/// </summary>
public static class StandardAttributes
{
    public const string Sub = "sub";
    public const string Email = "email";
    public const string EmailVerified = "email_verified";
    public const string PhoneNumber = "phone_number";
    public const string PhoneNumberVerified = "phone_number_verified";
    public const string PreferredUsername = "preferred_username";

    /// <summary>The prefix of a custom attribute's name on the wire (<c>custom:tier</c>).</summary>
    public const string CustomPrefix = "custom:";

    /// <summary>Name → AttributeDataType, in the order DescribeUserPool lists them.</summary>
    public static IReadOnlyList<(string Name, string DataType)> All { get; } =
    [
        (Sub, "String"), ("name", "String"), ("given_name", "String"), ("family_name", "String"), ("middle_name", "String"),
        ("nickname", "String"), (PreferredUsername, "String"), ("profile", "String"), ("picture", "String"),
        ("website", "String"), (Email, "String"), (EmailVerified, "Boolean"), ("gender", "String"), ("birthdate", "String"),
        ("zoneinfo", "String"), ("locale", "String"), (PhoneNumber, "String"), (PhoneNumberVerified, "Boolean"),
        ("address", "String"), ("updated_at", "Number"),
    ];

    private static readonly HashSet<string> Names = All.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);

    public static bool IsStandard(string name) => Names.Contains(name);

    public static bool IsCustom(string name) => name.StartsWith(CustomPrefix, StringComparison.Ordinal);
}
