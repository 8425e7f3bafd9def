using System.Collections.Frozen;
using IdentityBroker.Credentials;
using IdentityBroker.Identities;
using IdentityBroker.Identities.Linking;
using IdentityBroker.Mapping;
using IdentityBroker.Pools;
using IdentityBroker.Pools.Tags;
using IdentityBroker.Protocol.Signing;
using Bind = IdentityBroker.Protocol.Json.CognitoBinding;
using Shape = IdentityBroker.Protocol.Json.CognitoReplyShapes;
using TagBind = IdentityBroker.Protocol.Json.UserPoolGroupBinding;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// One operation of a Cognito JSON service (Cognito Identity, User Pools): its name, whether it needs SigV4 (exactly the operations that declare the resources they
/// act on), and its handler: read → validate → bind the command → authorize (signed operations) → run → write.
/// </summary>
public sealed record CognitoOperation(
    string Name, bool RequiresSignature, Func<SignedRequest, VerifiedCall?, string, CancellationToken, Task<ProtocolResponse>> Handle);

/// <summary>The table of operations behind <c>X-Amz-Target: AWSCognitoIdentityService.&lt;Op&gt;</c>.</summary>
public sealed class CognitoOperations
{
    /// <summary>Every operation of the service model; those without a handler answer a clear error naming them.</summary>
    public static readonly FrozenSet<string> ModelOperations = new[]
    {
        "CreateIdentityPool", "DeleteIdentities", "DeleteIdentityPool", "DescribeIdentity", "DescribeIdentityPool",
        "GetCredentialsForIdentity", "GetId", "GetIdentityPoolRoles", "GetOpenIdToken", "GetOpenIdTokenForDeveloperIdentity",
        "GetPrincipalTagAttributeMap", "ListIdentities", "ListIdentityPools", "ListTagsForResource", "LookupDeveloperIdentity",
        "MergeDeveloperIdentities", "SetIdentityPoolRoles", "SetPrincipalTagAttributeMap", "TagResource", "UnlinkDeveloperIdentity",
        "UnlinkIdentity", "UntagResource", "UpdateIdentityPool",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, CognitoOperation> _operations;

    public CognitoOperations(
        PoolOperations pools,
        PoolRoleOperations roles,
        IdentityOperations identities,
        CredentialOperations credentials,
        LinkingOperations linking,
        PrincipalTagOperations principalTags,
        CognitoResources resources,
        IdentityPoolTagOperations poolTags,
        IdentityPoolTagResources tagResources)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(linking);
        ArgumentNullException.ThrowIfNull(principalTags);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(poolTags);
        ArgumentNullException.ThrowIfNull(tagResources);
        var c = CognitoJsonContext.Default;

        // The tag operations have the same input and output shapes in both Cognito services.
        var g = UserPoolGroupJsonContext.Default;
        var t = new JsonOperationTable("cognito-identity");
        var r = resources;
        CognitoOperation[] operations =
        [
            t.Signed("CreateIdentityPool", c.CreateIdentityPoolRequest, Bind.CreateIdentityPool, pools.CreateAsync,
                Shape.Pool, c.IdentityPoolShape, (q, _) => CognitoResources.Create(q.Settings.IdentityPoolTags)),
            t.Signed("DescribeIdentityPool", c.IdentityPoolIdRequest, Bind.DescribeIdentityPool, pools.DescribeAsync,
                Shape.Pool, c.IdentityPoolShape, (q, ct) => r.PoolAsync(q.IdentityPoolId, ct)),
            t.Signed("UpdateIdentityPool", c.IdentityPoolShape, Bind.UpdateIdentityPool, pools.UpdateAsync,
                Shape.Pool, c.IdentityPoolShape, (q, ct) => r.PoolAsync(q.IdentityPoolId, ct)),
            t.Signed("DeleteIdentityPool", c.IdentityPoolIdRequest, Bind.DeleteIdentityPool, pools.DeleteAsync, (q, ct) => r.PoolAsync(q.IdentityPoolId, ct)),
            t.Signed("ListIdentityPools", c.ListIdentityPoolsRequest, Bind.ListIdentityPools, pools.ListAsync,
                Shape.Pools, c.ListIdentityPoolsResponse, (_, _) => CognitoResources.Account()),
            t.Signed("SetIdentityPoolRoles", c.SetIdentityPoolRolesRequest, Bind.SetIdentityPoolRoles, roles.SetAsync, (q, ct) => r.PoolAsync(q.IdentityPoolId, ct)),
            t.Signed("GetIdentityPoolRoles", c.IdentityPoolIdRequest, Bind.GetIdentityPoolRoles, roles.GetAsync,
                Shape.PoolRoles, c.GetIdentityPoolRolesResponse, (q, ct) => r.PoolAsync(q.IdentityPoolId, ct)),
            JsonOperationTable.UnsignedFromClient("GetId", c.GetIdRequest, Bind.GetId, identities.GetIdAsync, Shape.IdentityId, c.GetIdResponse),
            t.Signed("DescribeIdentity", c.IdentityIdRequest, Bind.DescribeIdentity, identities.DescribeIdentityAsync,
                Shape.Description, c.IdentityDescription, (q, ct) => r.IdentitiesAsync([q.IdentityId], ct)),
            t.Signed("ListIdentities", c.ListIdentitiesRequest, Bind.ListIdentities, identities.ListIdentitiesAsync,
                Shape.Identities, c.ListIdentitiesResponse, (q, ct) => r.PoolAsync(q.IdentityPoolId, ct)),
            t.Signed("DeleteIdentities", c.DeleteIdentitiesRequest, Bind.DeleteIdentities, identities.DeleteIdentitiesAsync,
                Shape.Deleted, c.DeleteIdentitiesResponse, (q, ct) => r.IdentitiesAsync(q.IdentityIds, ct)),
            JsonOperationTable.Unsigned("GetOpenIdToken", c.GetOpenIdTokenRequest, Bind.GetOpenIdToken, credentials.GetOpenIdTokenAsync,
                Shape.OpenIdToken, c.GetOpenIdTokenResponse),
            JsonOperationTable.Unsigned("GetCredentialsForIdentity", c.GetCredentialsForIdentityRequest, Bind.GetCredentialsForIdentity, credentials.GetCredentialsAsync,
                Shape.Credentials, c.GetCredentialsForIdentityResponse),
            JsonOperationTable.Unsigned("UnlinkIdentity", c.UnlinkIdentityRequest, Bind.UnlinkIdentity, linking.Unlink.UnlinkIdentityAsync),
            t.Signed("GetOpenIdTokenForDeveloperIdentity", c.GetOpenIdTokenForDeveloperIdentityRequest, Bind.GetOpenIdTokenForDeveloperIdentity,
                linking.DeveloperToken.RunAsync, Shape.DeveloperToken, c.GetOpenIdTokenForDeveloperIdentityResponse,
                (q, ct) => r.PoolAsync(q.IdentityPoolId, ct)),
            t.Signed("LookupDeveloperIdentity", c.LookupDeveloperIdentityRequest, Bind.LookupDeveloperIdentity, linking.Developer.LookupAsync,
                Shape.DeveloperUsers, c.LookupDeveloperIdentityResponse, (q, ct) => r.PoolAsync(q.IdentityPoolId, ct)),
            t.Signed("MergeDeveloperIdentities", c.MergeDeveloperIdentitiesRequest, Bind.MergeDeveloperIdentities, linking.Developer.MergeAsync,
                Shape.Merged, c.MergeDeveloperIdentitiesResponse, (q, ct) => r.PoolAsync(q.IdentityPoolId, ct)),
            t.Signed("UnlinkDeveloperIdentity", c.UnlinkDeveloperIdentityRequest, Bind.UnlinkDeveloperIdentity, linking.Developer.UnlinkAsync, (q, ct) => r.PoolAsync(q.IdentityPoolId, ct)),
            t.Signed("SetPrincipalTagAttributeMap", c.SetPrincipalTagAttributeMapRequest, Bind.SetPrincipalTagAttributeMap, principalTags.SetAsync,
                Shape.PrincipalTags, c.PrincipalTagAttributeMapResponse, (q, ct) => r.PoolAsync(q.IdentityPoolId, ct)),
            t.Signed("GetPrincipalTagAttributeMap", c.GetPrincipalTagAttributeMapRequest, Bind.GetPrincipalTagAttributeMap, principalTags.GetAsync,
                Shape.PrincipalTags, c.PrincipalTagAttributeMapResponse, (q, ct) => r.PoolAsync(q.IdentityPoolId, ct)),
            t.Signed("TagResource", g.TagResourceRequest, TagBind.TagResource, poolTags.TagAsync, tagResources.TagAsync),
            t.Signed("UntagResource", g.UntagResourceRequest, TagBind.UntagResource, poolTags.UntagAsync, tagResources.UntagAsync),
            t.Signed("ListTagsForResource", g.ResourceArnRequest, TagBind.ListTagsForResource, poolTags.ListAsync, UserPoolGroupReplyShapes.Tags,
                g.ListTagsForResourceResponse, tagResources.ListAsync),
        ];
        _operations = operations.ToFrozenDictionary(o => o.Name, StringComparer.Ordinal);
    }

    public CognitoOperation? Find(string name) => _operations.GetValueOrDefault(name);
}
