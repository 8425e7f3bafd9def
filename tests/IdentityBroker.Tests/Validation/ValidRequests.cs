using IdentityBroker.Pools;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Tests.Validation;

/// <summary>One valid request per operation input; each test breaks exactly one thing in a fresh copy.</summary>
internal static class ValidRequests
{
    public const string PoolId = "us-east-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    public const string IdentityId = "us-east-1:11111111-2222-3333-4444-555555555555";
    public const string RoleArn = "arn:aws:iam::123456789012:role/CognitoAuthRole";
    public const string UserPoolProvider = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Example";

    /// <summary>A token-shaped secret that must never show up in an error message.</summary>
    public const string SecretToken = "eyJhbGciOiJSUzI1NiJ9.SECRET-PAYLOAD-do-not-echo.c2lnbmF0dXJl";

    public static CreateIdentityPoolRequest CreateIdentityPool() => new()
    {
        IdentityPoolName = "My identity_pool+=,.@-",
        AllowUnauthenticatedIdentities = false,
        AllowClassicFlow = true,
        SupportedLoginProviders = new() { ["accounts.google.com"] = "123-abc.apps.googleusercontent.com", ["graph.facebook.com"] = "7346241598935552" },
        DeveloperProviderName = "login.example_dev-1",
        OpenIdConnectProviderARNs = ["arn:aws:iam::123456789012:oidc-provider/issuer.example.com"],
        CognitoIdentityProviders = [new CognitoIdentityProvider { ProviderName = UserPoolProvider, ClientId = "7lhlkkfbfb4q5kpp90urffao", ServerSideTokenCheck = false }],
        SamlProviderARNs = ["arn:aws:iam::123456789012:saml-provider/Corp"],
        IdentityPoolTags = new() { ["team"] = "identity", ["empty"] = string.Empty },
    };

    public static IdentityPoolShape UpdateIdentityPool() => new()
    {
        IdentityPoolId = PoolId,
        IdentityPoolName = "My identity pool",
        AllowUnauthenticatedIdentities = true,
        SupportedLoginProviders = new() { ["www.amazon.com"] = "amzn1.application.0123" },
        CognitoIdentityProviders = [new CognitoIdentityProvider { ProviderName = UserPoolProvider, ClientId = "client_1" }],
    };

    public static IdentityPoolIdRequest PoolIdOnly() => new() { IdentityPoolId = PoolId };

    public static ListIdentityPoolsRequest ListIdentityPools() => new() { MaxResults = 60, NextToken = "eyJuZXh0IjoiMTAifQ==" };

    public static GetIdRequest GetId() => new()
    {
        AccountId = "123456789012",
        IdentityPoolId = PoolId,
        Logins = new() { [UserPoolProvider] = SecretToken },
    };

    public static GetOpenIdTokenRequest GetOpenIdToken() => new()
    {
        IdentityId = IdentityId,
        Logins = new() { ["accounts.google.com"] = SecretToken },
    };

    public static GetCredentialsForIdentityRequest GetCredentialsForIdentity() => new()
    {
        IdentityId = IdentityId,
        Logins = new() { [UserPoolProvider] = SecretToken },
        CustomRoleArn = RoleArn,
    };

    public static IdentityIdRequest IdentityIdOnly() => new() { IdentityId = IdentityId };

    public static ListIdentitiesRequest ListIdentities() => new()
    {
        IdentityPoolId = PoolId,
        MaxResults = 1,
        NextToken = "token",
        HideDisabled = true,
    };

    public static DeleteIdentitiesRequest DeleteIdentities() => new() { IdentityIdsToDelete = [IdentityId] };

    public static SetIdentityPoolRolesRequest SetIdentityPoolRoles() => new()
    {
        IdentityPoolId = PoolId,
        Roles = new() { ["authenticated"] = RoleArn, ["unauthenticated"] = "arn:aws:iam::123456789012:role/Guest" },
        RoleMappings = new()
        {
            [UserPoolProvider + ":client_1"] = new RoleMapping
            {
                Type = "Rules",
                AmbiguousRoleResolution = "Deny",
                RulesConfiguration = new RulesConfiguration { Rules = [Rule()] },
            },
            ["graph.facebook.com"] = new RoleMapping { Type = "Token", AmbiguousRoleResolution = "AuthenticatedRole" },
        },
    };

    public static MappingRule Rule() => new() { Claim = "cognito:groups", MatchType = "Contains", Value = "admins", RoleARN = RoleArn };
}
