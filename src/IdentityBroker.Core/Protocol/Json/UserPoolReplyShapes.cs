using IdentityBroker.Identities;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.Protocol.Json;

/// <summary>From a user-pool operation's domain result to the response shape of the service model.</summary>
internal static class UserPoolReplyShapes
{
    public static UserPoolResponse Pool(UserPool pool) => new() { UserPool = Shape(pool) };

    public static ListUserPoolsResponse Pools(Page<UserPool> page) => new()
    {
        UserPools = [.. page.Items.Select(p => new UserPoolDescriptionShape
        {
            Id = p.Id,
            Name = p.Name,
            // Status is deprecated in the model; Cognito still answers Enabled.
            Status = "Enabled",
            LastModifiedDate = IdentityIds.EpochSeconds(p.LastModifiedDate),
            CreationDate = IdentityIds.EpochSeconds(p.CreationDate),
        })],
        NextToken = page.NextToken,
    };

    public static UserPoolClientResponse Client(UserPoolClient client) => new() { UserPoolClient = ClientShape(client) };

    public static ListUserPoolClientsResponse Clients(Page<UserPoolClient> page) => new()
    {
        UserPoolClients = [.. page.Items.Select(c => new UserPoolClientDescriptionShape
        {
            ClientId = c.ClientId,
            UserPoolId = c.UserPoolId,
            ClientName = c.Settings.ClientName,
        })],
        NextToken = page.NextToken,
    };

    private static UserPoolClientShape ClientShape(UserPoolClient client)
    {
        var s = client.Settings;
        return new()
        {
            UserPoolId = client.UserPoolId,
            ClientName = s.ClientName,
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            LastModifiedDate = IdentityIds.EpochSeconds(client.LastModifiedDate),
            CreationDate = IdentityIds.EpochSeconds(client.CreationDate),
            RefreshTokenValidity = s.RefreshTokenValidity,
            AccessTokenValidity = s.AccessTokenValidity,
            IdTokenValidity = s.IdTokenValidity,
            TokenValidityUnits = s.TokenValidityUnits is { } u
                ? new TokenValidityUnitsShape { AccessToken = u.AccessToken, IdToken = u.IdToken, RefreshToken = u.RefreshToken }
                : null,
            ExplicitAuthFlows = s.ExplicitAuthFlows is { } flows ? [.. flows] : null,
            SupportedIdentityProviders = s.SupportedIdentityProviders is { } providers ? [.. providers] : null,
            CallbackURLs = s.CallbackURLs is { } callbacks ? [.. callbacks] : null,
            LogoutURLs = s.LogoutURLs is { } logouts ? [.. logouts] : null,
            AllowedOAuthFlows = s.AllowedOAuthFlows is { } oauth ? [.. oauth] : null,
            AllowedOAuthScopes = s.AllowedOAuthScopes is { } scopes ? [.. scopes] : null,
            AllowedOAuthFlowsUserPoolClient = s.AllowedOAuthFlowsUserPoolClient,
            PreventUserExistenceErrors = s.PreventUserExistenceErrors,
            EnableTokenRevocation = s.EnableTokenRevocation,
            AuthSessionValidity = s.AuthSessionValidity ?? UserPoolClientSettings.DefaultAuthSessionValidity,
            RefreshTokenRotation = new RefreshTokenRotationShape
            {
                Feature = s.RefreshTokenRotation?.Feature ?? "DISABLED",
                RetryGracePeriodSeconds = s.RefreshTokenRotation?.RetryGracePeriodSeconds ?? 0,
            },
        };
    }

    private static UserPoolShape Shape(UserPool pool)
    {
        var shape = BaseShape(pool);
        PoolMessageShapes.Write(shape, pool.Settings.Messages, pool.Settings.AllowAdminCreateUserOnly);
        return shape;
    }

    private static UserPoolShape BaseShape(UserPool pool) => new()
    {
        Id = pool.Id,
        Name = pool.Name,
        Arn = pool.Arn,
        Domain = pool.Domain,
        Policies = new UserPoolPolicyShape { PasswordPolicy = Password(pool.Settings.PasswordPolicy) },
        DeletionProtection = pool.Settings.DeletionProtection,
        LastModifiedDate = IdentityIds.EpochSeconds(pool.LastModifiedDate),
        CreationDate = IdentityIds.EpochSeconds(pool.CreationDate),
        AutoVerifiedAttributes = pool.Settings.AutoVerifiedAttributes is { } verified ? [.. verified] : null,
        AliasAttributes = pool.AliasAttributes is { } alias ? [.. alias] : null,
        UsernameAttributes = pool.UsernameAttributes is { } username ? [.. username] : null,
        MfaConfiguration = pool.Settings.MfaConfiguration,
        // The stores keep no count of a pool's users; Cognito's own figure is an estimate.
        EstimatedNumberOfUsers = 0,
        UserPoolTags = pool.Settings.UserPoolTags is { } tags ? new(tags) : null,
        SchemaAttributes = UserPoolUserReplyShapes.SchemaAttributes(pool),
        UsernameConfiguration = pool.UsernameConfiguration is { } u ? new() { CaseSensitive = u.CaseSensitive } : null,
        LambdaConfig = LambdaConfigShape.Of(pool.Settings.LambdaConfig),
    };

    private static PasswordPolicyShape Password(PasswordPolicy policy) => new()
    {
        MinimumLength = policy.MinimumLength,
        RequireUppercase = policy.RequireUppercase,
        RequireLowercase = policy.RequireLowercase,
        RequireNumbers = policy.RequireNumbers,
        RequireSymbols = policy.RequireSymbols,
        PasswordHistorySize = policy.PasswordHistorySize,
        TemporaryPasswordValidityDays = policy.TemporaryPasswordValidityDays,
    };
}
