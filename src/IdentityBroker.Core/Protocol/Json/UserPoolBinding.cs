using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.Protocol.Json;

/// <summary>From a user-pool request shape that passed model validation to its command, with Cognito's defaults filled in.</summary>
internal static class UserPoolBinding
{
    public static CreateUserPool CreateUserPool(CreateUserPoolRequest r) =>
        new(r.PoolName!, Settings(r), NonEmpty(r.UsernameAttributes), NonEmpty(r.AliasAttributes))
        {
            UsernameConfiguration = r.UsernameConfiguration is { CaseSensitive: { } caseSensitive } ? new(caseSensitive) : null,
            Schema = r.Schema is { Count: > 0 } schema ? UserPoolUserBinding.PoolSchema(schema) : null,
        };

    public static DescribeUserPool DescribeUserPool(UserPoolIdRequest r) => new(r.UserPoolId!);

    public static ListUserPools ListUserPools(ListUserPoolsRequest r) => new(r.MaxResults!.Value, r.NextToken);

    public static UpdateUserPool UpdateUserPool(UpdateUserPoolRequest r) => new(r.UserPoolId!, r.PoolName, Settings(r));

    public static DeleteUserPool DeleteUserPool(UserPoolIdRequest r) => new(r.UserPoolId!);

    public static CreateUserPoolClient CreateUserPoolClient(CreateUserPoolClientRequest r) =>
        new(r.UserPoolId!, r.GenerateSecret == true, ClientSettings(r.ClientName!, r));

    public static DescribeUserPoolClient DescribeUserPoolClient(UserPoolClientIdRequest r) => new(r.UserPoolId!, r.ClientId!);

    /// <summary>MaxResults is optional for this listing; Cognito's page is then at most 60 clients.</summary>
    public static ListUserPoolClients ListUserPoolClients(ListUserPoolClientsRequest r) =>
        new(r.UserPoolId!, r.MaxResults ?? 60, r.NextToken);

    /// <summary>The name is left empty here when the request has none; the operation keeps the client's current name.</summary>
    public static UpdateUserPoolClient UpdateUserPoolClient(UpdateUserPoolClientRequest r) =>
        new(r.UserPoolId!, r.ClientId!, r.ClientName, ClientSettings(r.ClientName ?? string.Empty, r));

    public static DeleteUserPoolClient DeleteUserPoolClient(UserPoolClientIdRequest r) => new(r.UserPoolId!, r.ClientId!);

    private static UserPoolClientSettings ClientSettings(string name, IUserPoolClientSettingsShape r) => new(
        name,
        r.RefreshTokenValidity ?? UserPoolClientSettings.DefaultRefreshTokenValidity,
        r.AccessTokenValidity,
        r.IdTokenValidity,
        r.TokenValidityUnits is { } u ? new TokenValidityUnits(u.AccessToken, u.IdToken, u.RefreshToken) : null,
        NonEmpty(r.ExplicitAuthFlows),
        NonEmpty(r.CallbackURLs),
        NonEmpty(r.LogoutURLs),
        NonEmpty(r.AllowedOAuthFlows),
        NonEmpty(r.AllowedOAuthScopes),
        r.AllowedOAuthFlowsUserPoolClient ?? false,
        r.PreventUserExistenceErrors ?? UserPoolClientSettings.DefaultPreventUserExistenceErrors,
        // The API reference: token revocation is on for a client created without the member.
        r.EnableTokenRevocation ?? true)
    {
        // RetryGracePeriodSeconds is optional in the model without a stated default; 0 is the value that disables the grace.
        RefreshTokenRotation = r.RefreshTokenRotation is { } rotation
            ? new RefreshTokenRotation(rotation.Feature!, rotation.RetryGracePeriodSeconds ?? 0)
            : null,
        SupportedIdentityProviders = NonEmpty(r.SupportedIdentityProviders),
        AuthSessionValidity = r.AuthSessionValidity ?? UserPoolClientSettings.DefaultAuthSessionValidity,
    };

    private static UserPoolSettings Settings(IUserPoolSettingsShape r) => new(
        Password(r.Policies?.PasswordPolicy),
        r.DeletionProtection ?? UserPoolSettings.DeletionProtectionInactive,
        r.MfaConfiguration ?? UserPoolSettings.MfaOff,
        NonEmpty(r.AutoVerifiedAttributes),
        r.UserPoolTags is { Count: > 0 } tags ? tags : null)
    {
        Messages = r.Messages.Templates(),
        AllowAdminCreateUserOnly = r.Messages.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? false,
        LambdaConfig = r.LambdaConfig?.ToConfig(),
    };

    /// <summary>
    /// No policy is Cognito's default policy. A policy given is taken as written: a requirement it leaves out is off
    /// (the members are booleans of the request), a number it leaves out is the default's.
    /// </summary>
    private static PasswordPolicy Password(PasswordPolicyShape? p) => p is null
        ? PasswordPolicy.Default
        : new PasswordPolicy
        {
            MinimumLength = p.MinimumLength ?? PasswordPolicy.Default.MinimumLength,
            RequireUppercase = p.RequireUppercase ?? false,
            RequireLowercase = p.RequireLowercase ?? false,
            RequireNumbers = p.RequireNumbers ?? false,
            RequireSymbols = p.RequireSymbols ?? false,
            PasswordHistorySize = p.PasswordHistorySize ?? PasswordPolicy.Default.PasswordHistorySize,
            TemporaryPasswordValidityDays = p.TemporaryPasswordValidityDays ?? PasswordPolicy.Default.TemporaryPasswordValidityDays,
        };

    private static List<string>? NonEmpty(List<string>? list) => list is { Count: > 0 } ? list : null;
}
