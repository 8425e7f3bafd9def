using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Pools;

/// <summary>
/// A Cognito user pool as CreateUserPool makes it and DescribeUserPool returns it. The settings are kept as given (with
/// Cognito's defaults where the request left them out), so a pool read back answers what it was created with.
/// </summary>
/// <param name="Id"><c>&lt;region&gt;_&lt;9 letters or digits&gt;</c>, as Cognito's ids (UserPoolIdType <c>[\w-]+_[0-9a-zA-Z]+</c>).</param>
/// <param name="Arn"><c>arn:aws:cognito-idp:&lt;region&gt;:&lt;account&gt;:userpool/&lt;id&gt;</c>.</param>
public sealed record UserPool(
    string Id,
    string Name,
    string Arn,
    UserPoolSettings Settings,
    IReadOnlyList<string>? UsernameAttributes,
    IReadOnlyList<string>? AliasAttributes,
    DateTimeOffset CreationDate,
    DateTimeOffset LastModifiedDate)
{
    /// <summary>Kept from creation; null reads as case sensitive (see <see cref="Users.UsernameConfiguration"/>).</summary>
    public UsernameConfiguration? UsernameConfiguration { get; init; }

    /// <summary>The standard attributes CreateUserPool's Schema configured and every custom attribute, in the order given.</summary>
    public IReadOnlyList<SchemaAttribute>? Schema { get; init; }

    public bool UsernameCaseSensitive => UsernameConfiguration?.CaseSensitive ?? true;

    /// <summary>SetRiskConfiguration's compromised-credentials settings, kept beside the settings UpdateUserPool replaces.</summary>
    public Risk.RiskConfigurations? Risk { get; init; }

    /// <summary>The pool's domain prefix, filled in by DescribeUserPool from the domain store; never stored with the pool.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Domain { get; init; }
}

/// <summary>
/// The settings CreateUserPool and UpdateUserPool both carry. UpdateUserPool replaces them all: a setting the update
/// leaves out returns to its default, as the Cognito API reference warns for UpdateUserPool.
/// </summary>
public sealed record UserPoolSettings(
    PasswordPolicy PasswordPolicy,
    string DeletionProtection,
    string MfaConfiguration,
    IReadOnlyList<string>? AutoVerifiedAttributes,
    IReadOnlyDictionary<string, string>? UserPoolTags)
{
    /// <summary>The verification and invitation texts (VerificationMessageTemplate, AdminCreateUserConfig, …); null: Cognito's defaults.</summary>
    public Messages.MessageTemplates? Messages { get; init; }

    /// <summary>LambdaConfig: the triggers' functions; null for none (docs/user-pools.md, "Triggers").</summary>
    public Triggers.LambdaConfig? LambdaConfig { get; init; }

    /// <summary>AdminCreateUserConfig.AllowAdminCreateUserOnly: SignUp is refused when true.</summary>
    public bool AllowAdminCreateUserOnly { get; init; }

    public const string DeletionProtectionActive = "ACTIVE";
    public const string DeletionProtectionInactive = "INACTIVE";
    public const string MfaOff = "OFF";
    public const string MfaOn = "ON";
    public const string MfaOptional = "OPTIONAL";

    /// <summary>The factors SetUserPoolMfaConfig offers; null for none. UpdateUserPool keeps them (it has no member for them).</summary>
    public Mfa.PoolMfaFactors? MfaFactors { get; init; }
}
