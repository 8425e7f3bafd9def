using System.Collections.Frozen;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;
using Bind = IdentityBroker.Protocol.Json.UserPoolBinding;
using Shape = IdentityBroker.Protocol.Json.UserPoolReplyShapes;

namespace IdentityBroker.Protocol.Json;

/// <summary>The table of operations behind <c>X-Amz-Target: AWSCognitoIdentityProviderService.&lt;Op&gt;</c>.</summary>
public sealed class UserPoolsOperations
{
    /// <summary>Every operation of the service model; those without a handler answer a clear error naming them.</summary>
    public static readonly FrozenSet<string> ModelOperations = new[]
    {
        "AddCustomAttributes", "AddUserPoolClientSecret", "AdminAddUserToGroup", "AdminConfirmSignUp", "AdminCreateUser",
        "AdminDeleteUser", "AdminDeleteUserAttributes", "AdminDisableProviderForUser", "AdminDisableUser", "AdminEnableUser",
        "AdminForgetDevice", "AdminGetDevice", "AdminGetUser", "AdminInitiateAuth", "AdminLinkProviderForUser",
        "AdminListDevices", "AdminListGroupsForUser", "AdminListUserAuthEvents", "AdminRemoveUserFromGroup",
        "AdminResetUserPassword", "AdminRespondToAuthChallenge", "AdminSetUserMFAPreference", "AdminSetUserPassword",
        "AdminSetUserSettings", "AdminUpdateAuthEventFeedback", "AdminUpdateDeviceStatus", "AdminUpdateUserAttributes",
        "AdminUserGlobalSignOut", "AssociateSoftwareToken", "ChangePassword", "CompleteWebAuthnRegistration",
        "ConfirmDevice", "ConfirmForgotPassword", "ConfirmSignUp", "CreateGroup", "CreateIdentityProvider",
        "CreateManagedLoginBranding", "CreateResourceServer", "CreateTerms", "CreateUserImportJob", "CreateUserPool",
        "CreateUserPoolClient", "CreateUserPoolDomain", "DeleteGroup", "DeleteIdentityProvider",
        "DeleteManagedLoginBranding", "DeleteResourceServer", "DeleteTerms", "DeleteUser", "DeleteUserAttributes",
        "DeleteUserPool", "DeleteUserPoolClient", "DeleteUserPoolClientSecret", "DeleteUserPoolDomain",
        "DeleteWebAuthnCredential", "DescribeIdentityProvider", "DescribeManagedLoginBranding",
        "DescribeManagedLoginBrandingByClient", "DescribeResourceServer", "DescribeRiskConfiguration", "DescribeTerms",
        "DescribeUserImportJob", "DescribeUserPool", "DescribeUserPoolClient", "DescribeUserPoolDomain", "ForgetDevice",
        "ForgotPassword", "GetCSVHeader", "GetDevice", "GetGroup", "GetIdentityProviderByIdentifier",
        "GetLogDeliveryConfiguration", "GetSigningCertificate", "GetTokensFromRefreshToken", "GetUICustomization", "GetUser",
        "GetUserAttributeVerificationCode", "GetUserAuthFactors", "GetUserPoolMfaConfig", "GlobalSignOut", "InitiateAuth",
        "ListDevices", "ListGroups", "ListIdentityProviders", "ListResourceServers", "ListTagsForResource", "ListTerms",
        "ListUserImportJobs", "ListUserPoolClientSecrets", "ListUserPoolClients", "ListUserPools", "ListUsers",
        "ListUsersInGroup", "ListWebAuthnCredentials", "ResendConfirmationCode", "RespondToAuthChallenge", "RevokeToken",
        "SetLogDeliveryConfiguration", "SetRiskConfiguration", "SetUICustomization", "SetUserMFAPreference",
        "SetUserPoolMfaConfig", "SetUserSettings", "SignUp", "StartUserImportJob", "StartWebAuthnRegistration",
        "StopUserImportJob", "TagResource", "UntagResource", "UpdateAuthEventFeedback", "UpdateDeviceStatus", "UpdateGroup",
        "UpdateIdentityProvider", "UpdateManagedLoginBranding", "UpdateResourceServer", "UpdateTerms",
        "UpdateUserAttributes", "UpdateUserPool", "UpdateUserPoolClient", "UpdateUserPoolDomain", "VerifySoftwareToken",
        "VerifyUserAttribute",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, CognitoOperation> _operations;

    public UserPoolsOperations(
        UserPoolOperations pools, UserPoolClientOperations clients, UserPoolResources resources, UserPoolSessionOperations sessions,
        AccessTokenAuthenticator access, UserPoolUserOperations users, UserPoolGroupWire groups, UserPoolSelfServiceWire selfService,
        UserPoolMfaWire mfa,
        UserPoolSignInOperations signIn, UserPoolOAuthWire oauth, UserPools.Domains.UserPoolDomainOperations domains,
        UiCustomizationWire uiCustomization, UserPoolFederationWire federation)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(selfService);
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentNullException.ThrowIfNull(mfa);
        ArgumentNullException.ThrowIfNull(oauth);
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(uiCustomization);
        ArgumentNullException.ThrowIfNull(federation);
        var c = UserPoolJsonContext.Default;
        var r = resources;
        var t = new JsonOperationTable("cognito-idp");
        CognitoOperation[] operations =
        [
            t.Signed("CreateUserPool", c.CreateUserPoolRequest, Bind.CreateUserPool, pools.CreateAsync,
                Shape.Pool, c.UserPoolResponse, (q, _) => UserPoolResources.Create(q.Settings.UserPoolTags)),
            t.Signed("DescribeUserPool", c.UserPoolIdRequest, Bind.DescribeUserPool, (q, ct) => domains.WithDomainAsync(pools.DescribeAsync(q, ct), ct),
                Shape.Pool, c.UserPoolResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("ListUserPools", c.ListUserPoolsRequest, Bind.ListUserPools, pools.ListAsync,
                Shape.Pools, c.ListUserPoolsResponse, (_, _) => UserPoolResources.Account()),
            t.Signed("UpdateUserPool", c.UpdateUserPoolRequest, Bind.UpdateUserPool, pools.UpdateAsync, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("DeleteUserPool", c.UserPoolIdRequest, Bind.DeleteUserPool,
                (q, ct) => domains.DeleteUserPoolAsync(q.UserPoolId, token => pools.DeleteAsync(q, token), ct), (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("CreateUserPoolClient", c.CreateUserPoolClientRequest, Bind.CreateUserPoolClient, clients.CreateAsync,
                Shape.Client, c.UserPoolClientResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("DescribeUserPoolClient", c.UserPoolClientIdRequest, Bind.DescribeUserPoolClient, clients.DescribeAsync,
                Shape.Client, c.UserPoolClientResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("ListUserPoolClients", c.ListUserPoolClientsRequest, Bind.ListUserPoolClients, clients.ListAsync,
                Shape.Clients, c.ListUserPoolClientsResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("UpdateUserPoolClient", c.UpdateUserPoolClientRequest, Bind.UpdateUserPoolClient, clients.UpdateAsync,
                Shape.Client, c.UserPoolClientResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("DeleteUserPoolClient", c.UserPoolClientIdRequest, Bind.DeleteUserPoolClient, clients.DeleteAsync,
                (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            JsonOperationTable.Unsigned("RevokeToken", c.RevokeTokenRequest, q => new RevokeTokenCommand(q.Token!, q.ClientId!, q.ClientSecret),
                sessions.RevokeTokenAsync),
            JsonOperationTable.AccessToken("GlobalSignOut", c.AccessTokenRequest, access, q => q.AccessToken, (_, a) => a, sessions.GlobalSignOutAsync),
            .. users.Rows(t),
            .. groups.Operations(t),
            .. selfService.Rows(t),
            .. signIn.Rows(t),
            .. mfa.Operations(t),
            .. oauth.Rows(t),
            .. uiCustomization.Operations(t),
            .. federation.Operations(t),
        ];
        _operations = operations.ToFrozenDictionary(o => o.Name, StringComparer.Ordinal);
    }

    public CognitoOperation? Find(string name) => _operations.GetValueOrDefault(name);
}
