using IdentityBroker.Credentials;
using IdentityBroker.Errors;
using IdentityBroker.Identities;
using IdentityBroker.Identities.Developer;
using IdentityBroker.Mapping;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Protocol.Json;

/// <summary>From an operation's domain result to the response shape of the service model.</summary>
internal static class CognitoReplyShapes
{
    public static IdentityPoolShape Pool(IdentityPool pool) => new()
    {
        IdentityPoolId = pool.IdentityPoolId,
        IdentityPoolName = pool.IdentityPoolName,
        AllowUnauthenticatedIdentities = pool.AllowUnauthenticatedIdentities,
        AllowClassicFlow = pool.AllowClassicFlow,
        SupportedLoginProviders = pool.SupportedLoginProviders is { Count: > 0 } p ? new(p) : null,
        DeveloperProviderName = pool.DeveloperProviderName,
        OpenIdConnectProviderARNs = pool.OpenIdConnectProviderARNs is { Count: > 0 } o ? [.. o] : null,
        CognitoIdentityProviders = pool.CognitoIdentityProviders is { Count: > 0 } c ? [.. c] : null,
        SamlProviderARNs = pool.SamlProviderARNs is { Count: > 0 } s ? [.. s] : null,
        IdentityPoolTags = pool.IdentityPoolTags is { Count: > 0 } t ? new(t) : null,
    };

    public static ListIdentityPoolsResponse Pools(Page<IdentityPool> page) => new()
    {
        IdentityPools = [.. page.Items.Select(p => new IdentityPoolShortDescription { IdentityPoolId = p.IdentityPoolId, IdentityPoolName = p.IdentityPoolName })],
        NextToken = page.NextToken,
    };

    public static GetIdentityPoolRolesResponse PoolRoles(IdentityPool pool) => new()
    {
        IdentityPoolId = pool.IdentityPoolId,
        Roles = pool.Roles.Count == 0 ? null : new(pool.Roles),
        RoleMappings = pool.RoleMappings is { Count: > 0 } m ? new(m) : null,
    };

    public static GetIdResponse IdentityId(Identity identity) => new() { IdentityId = identity.IdentityId };

    public static IdentityDescription Description(Identity identity) => new()
    {
        IdentityId = identity.IdentityId,
        Logins = identity.Logins.Count == 0 ? null : [.. identity.Logins.Select(l => l.Provider).Distinct(StringComparer.Ordinal)],
        CreationDate = IdentityIds.EpochSeconds(identity.CreationDate),
        LastModifiedDate = IdentityIds.EpochSeconds(identity.LastModifiedDate),
    };

    public static ListIdentitiesResponse Identities(IdentityList list) => new()
    {
        IdentityPoolId = list.IdentityPoolId,
        Identities = [.. list.Identities.Select(Description)],
        NextToken = list.NextToken,
    };

    /// <summary>Unknown ids are not reported: the model's error codes are AccessDenied and InternalServerError only.</summary>
    public static DeleteIdentitiesResponse Deleted(Unit _) => new();

    public static GetOpenIdTokenResponse OpenIdToken(IdentityToken token) => new() { IdentityId = token.IdentityId, Token = token.Token };

    public static GetCredentialsForIdentityResponse Credentials(IdentityCredentials issued) => new()
    {
        IdentityId = issued.IdentityId,
        Credentials = new CredentialsShape
        {
            AccessKeyId = issued.Credentials.AccessKeyId,
            SecretKey = issued.Credentials.SecretAccessKey,
            SessionToken = issued.Credentials.SessionToken,
            Expiration = IdentityIds.EpochSeconds(issued.Credentials.Expiration),
        },
    };

    public static GetOpenIdTokenForDeveloperIdentityResponse DeveloperToken(IdentityToken token) =>
        new() { IdentityId = token.IdentityId, Token = token.Token };

    public static LookupDeveloperIdentityResponse DeveloperUsers(DeveloperUsers users) => new()
    {
        IdentityId = users.IdentityId,
        DeveloperUserIdentifierList = [.. users.UserIdentifiers],
        NextToken = users.NextToken,
    };

    public static MergeDeveloperIdentitiesResponse Merged(Identity owner) => new() { IdentityId = owner.IdentityId };

    public static PrincipalTagAttributeMapResponse PrincipalTags(ProviderPrincipalTags tags) => new()
    {
        IdentityPoolId = tags.IdentityPoolId,
        IdentityProviderName = tags.IdentityProviderName,
        UseDefaults = tags.UseDefaults,
        PrincipalTags = tags.PrincipalTags is null ? null : new Dictionary<string, string>(tags.PrincipalTags),
    };
}
