using IdentityBroker.Identities;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Protocol.Json;

/// <summary>From a user operation's result to the response shapes. No password, hash, verifier or TOTP secret is ever shaped.</summary>
internal static class UserPoolUserReplyShapes
{
    public static AdminCreateUserResponse Created(PoolUser user) => new() { User = User(user, null) };

    public static AdminGetUserResponse Got(PoolUser user) => new()
    {
        Username = user.Username,
        UserAttributes = Attributes(user, null),
        UserCreateDate = IdentityIds.EpochSeconds(user.CreationDate),
        UserLastModifiedDate = IdentityIds.EpochSeconds(user.LastModifiedDate),
        Enabled = user.Enabled,
        UserStatus = user.UserStatus,
        PreferredMfaSetting = user.Mfa.PreferredMethod,
        UserMFASettingList = MfaSettings(user.Mfa),
    };

    public static ListUsersResponse Listed(UserListing listing) => new()
    {
        Users = [.. listing.Users.Select(u => User(u, listing.AttributesToGet))],
        PaginationToken = listing.PaginationToken,
    };

    /// <summary>The standard attributes with their types (as a new Cognito pool lists them), then the custom ones.</summary>
    public static List<SchemaAttributeShape> SchemaAttributes(UserPool pool)
    {
        var configured = (pool.Schema ?? []).ToDictionary(a => a.Name, StringComparer.Ordinal);
        var standard = StandardAttributes.All.Select(a => configured.TryGetValue(a.Name, out var given)
            ? Shape(given with { AttributeDataType = a.DataType })
            : Standard(a.Name, a.DataType));
        return [.. standard, .. (pool.Schema ?? []).Where(a => StandardAttributes.IsCustom(a.Name)).Select(Shape)];
    }

    private static UserShape User(PoolUser user, IReadOnlyList<string>? attributesToGet) => new()
    {
        Username = user.Username,
        Attributes = Attributes(user, attributesToGet),
        UserCreateDate = IdentityIds.EpochSeconds(user.CreationDate),
        UserLastModifiedDate = IdentityIds.EpochSeconds(user.LastModifiedDate),
        Enabled = user.Enabled,
        UserStatus = user.UserStatus,
    };

    /// <summary>sub first, as Cognito lists it, then the others in the order they were set.</summary>
    private static List<AttributeShape> Attributes(PoolUser user, IReadOnlyList<string>? only)
    {
        var all = user.Attributes.Select(a => (a.Key, a.Value)).Prepend((StandardAttributes.Sub, user.Sub));
        return [.. all.Where(a => only is null || only.Contains(a.Item1)).Select(a => new AttributeShape { Name = a.Item1, Value = a.Item2 })];
    }

    private static List<string>? MfaSettings(UserMfaSettings mfa)
    {
        List<string> enabled = [.. mfa.SmsEnabled ? ["SMS_MFA"] : Array.Empty<string>(), .. mfa.TotpEnabled ? ["SOFTWARE_TOKEN_MFA"] : Array.Empty<string>(),
            .. mfa.EmailEnabled ? ["EMAIL_OTP"] : Array.Empty<string>()];
        return enabled.Count > 0 ? enabled : null;
    }

    private static SchemaAttributeShape Standard(string name, string dataType) => new()
    {
        Name = name,
        AttributeDataType = dataType,
        DeveloperOnlyAttribute = false,
        Mutable = name != StandardAttributes.Sub,
        Required = name == StandardAttributes.Sub,
        StringAttributeConstraints = dataType == "String"
            ? new() { MinLength = name == StandardAttributes.Sub ? "1" : "0", MaxLength = "2048" }
            : null,
        NumberAttributeConstraints = dataType == "Number" ? new() { MinValue = "0" } : null,
    };

    private static SchemaAttributeShape Shape(SchemaAttribute a) => new()
    {
        Name = a.Name,
        AttributeDataType = a.AttributeDataType,
        DeveloperOnlyAttribute = a.DeveloperOnlyAttribute,
        Mutable = a.Mutable,
        Required = a.Required,
        StringAttributeConstraints = a.MinLength is null && a.MaxLength is null ? null : new() { MinLength = a.MinLength, MaxLength = a.MaxLength },
        NumberAttributeConstraints = a.MinValue is null && a.MaxValue is null ? null : new() { MinValue = a.MinValue, MaxValue = a.MaxValue },
    };
}
