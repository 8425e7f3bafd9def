using System.Collections.ObjectModel;
using IdentityBroker.Credentials;
using IdentityBroker.Identities;
using IdentityBroker.Identities.Developer;
using IdentityBroker.Identities.Linking;
using IdentityBroker.Mapping;
using IdentityBroker.Pools;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// From a request shape that passed model validation to the command of its operation, once per request. Validation
/// has checked every member the model requires, so the non-null assertions below are the only ones an operation needs.
/// </summary>
public static class CognitoBinding
{
    public static CreatePool CreateIdentityPool(CreateIdentityPoolRequest r) => new(Settings(r));

    public static DescribePool DescribeIdentityPool(IdentityPoolIdRequest r) => new(r.IdentityPoolId!);

    public static UpdatePool UpdateIdentityPool(IdentityPoolShape r) => new(r.IdentityPoolId!, Settings(r));

    public static DeletePool DeleteIdentityPool(IdentityPoolIdRequest r) => new(r.IdentityPoolId!);

    public static ListPools ListIdentityPools(ListIdentityPoolsRequest r) => new(r.MaxResults!.Value, r.NextToken);

    public static SetPoolRoles SetIdentityPoolRoles(SetIdentityPoolRolesRequest r) => new(r.IdentityPoolId!, r.Roles!, r.RoleMappings);

    public static GetPoolRoles GetIdentityPoolRoles(IdentityPoolIdRequest r) => new(r.IdentityPoolId!);

    public static GetId GetId(GetIdRequest r, string? sourceIp) => new(r.IdentityPoolId!, r.AccountId, Logins(r.Logins)) { SourceIp = sourceIp };

    public static DescribeIdentity DescribeIdentity(IdentityIdRequest r) => new(r.IdentityId!);

    public static ListIdentities ListIdentities(ListIdentitiesRequest r) =>
        new(r.IdentityPoolId!, r.MaxResults!.Value, r.NextToken, r.HideDisabled ?? false);

    public static DeleteIdentities DeleteIdentities(DeleteIdentitiesRequest r) => new(r.IdentityIdsToDelete!);

    public static GetOpenIdToken GetOpenIdToken(GetOpenIdTokenRequest r) => new(r.IdentityId!, Logins(r.Logins));

    public static GetCredentials GetCredentialsForIdentity(GetCredentialsForIdentityRequest r) =>
        new(r.IdentityId!, Logins(r.Logins), r.CustomRoleArn);

    public static UnlinkIdentity UnlinkIdentity(UnlinkIdentityRequest r) =>
        new(r.IdentityId!, r.Logins!, r.LoginsToRemove!.ToHashSet(StringComparer.Ordinal));

    public static GetDeveloperToken GetOpenIdTokenForDeveloperIdentity(GetOpenIdTokenForDeveloperIdentityRequest r) =>
        new(r.IdentityPoolId!, r.IdentityId, r.Logins!, r.PrincipalTags,
            r.TokenDuration is { } seconds ? TimeSpan.FromSeconds(seconds) : DeveloperTokenOperation.DefaultLifetime);

    public static LookupDeveloperIdentity LookupDeveloperIdentity(LookupDeveloperIdentityRequest r) =>
        new(r.IdentityPoolId!, r.IdentityId, r.DeveloperUserIdentifier, r.MaxResults, r.NextToken);

    public static MergeDeveloperIdentities MergeDeveloperIdentities(MergeDeveloperIdentitiesRequest r) =>
        new(r.IdentityPoolId!, r.DeveloperProviderName!, r.SourceUserIdentifier!, r.DestinationUserIdentifier!);

    public static UnlinkDeveloperIdentity UnlinkDeveloperIdentity(UnlinkDeveloperIdentityRequest r) =>
        new(r.IdentityPoolId!, r.DeveloperProviderName!, r.IdentityId!, r.DeveloperUserIdentifier!);

    public static SetPrincipalTagMap SetPrincipalTagAttributeMap(SetPrincipalTagAttributeMapRequest r) =>
        new(r.IdentityPoolId!, r.IdentityProviderName!, r.UseDefaults == true, r.PrincipalTags);

    public static GetPrincipalTagMap GetPrincipalTagAttributeMap(GetPrincipalTagAttributeMapRequest r) =>
        new(r.IdentityPoolId!, r.IdentityProviderName!);

    /// <summary>CreateIdentityPool's input and the IdentityPool shape (UpdateIdentityPool) carry the same settings.</summary>
    private static PoolSettings Settings(IPoolSettingsShape r) => new(
        r.IdentityPoolName!,
        r.AllowUnauthenticatedIdentities!.Value,
        r.AllowClassicFlow,
        r.SupportedLoginProviders,
        r.DeveloperProviderName,
        r.OpenIdConnectProviderARNs,
        r.CognitoIdentityProviders,
        r.SamlProviderARNs,
        r.IdentityPoolTags);

    /// <summary>An absent Logins map is no logins, as in Cognito.</summary>
    private static IReadOnlyDictionary<string, string> Logins(Dictionary<string, string>? logins) =>
        logins is null ? ReadOnlyDictionary<string, string>.Empty : logins;
}
