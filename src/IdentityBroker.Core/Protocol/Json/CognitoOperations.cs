using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IdentityBroker.Credentials;
using IdentityBroker.Errors;
using IdentityBroker.Identities;
using IdentityBroker.Identities.Linking;
using IdentityBroker.Mapping;
using IdentityBroker.Pools;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

/// <summary>One Cognito Identity operation: its name, whether it needs SigV4, and its handler (bind → validate → run → write).</summary>
public sealed record CognitoOperation(string Name, bool RequiresSignature, Func<ReadOnlyMemory<byte>, string, CancellationToken, Task<ProtocolResponse>> Handle);

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
        LifecycleOperations lifecycle,
        PrincipalTagOperations principalTags)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(principalTags);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(principalTags);
        var c = CognitoJsonContext.Default;
        CognitoOperation[] operations =
        [
            Op("CreateIdentityPool", true, c.CreateIdentityPoolRequest, c.IdentityPoolShape, pools.CreateAsync),
            Op("DescribeIdentityPool", true, c.IdentityPoolIdRequest, c.IdentityPoolShape, pools.DescribeAsync),
            Op("UpdateIdentityPool", true, c.IdentityPoolShape, c.IdentityPoolShape, pools.UpdateAsync),
            Op("DeleteIdentityPool", true, c.IdentityPoolIdRequest, null, pools.DeleteAsync),
            Op("ListIdentityPools", true, c.ListIdentityPoolsRequest, c.ListIdentityPoolsResponse, pools.ListAsync),
            Op("SetIdentityPoolRoles", true, c.SetIdentityPoolRolesRequest, null, roles.SetAsync),
            Op("GetIdentityPoolRoles", true, c.IdentityPoolIdRequest, c.GetIdentityPoolRolesResponse, roles.GetAsync),
            Op("GetId", false, c.GetIdRequest, c.GetIdResponse, identities.GetIdAsync),
            Op("DescribeIdentity", true, c.IdentityIdRequest, c.IdentityDescription, identities.DescribeIdentityAsync),
            Op("ListIdentities", true, c.ListIdentitiesRequest, c.ListIdentitiesResponse, identities.ListIdentitiesAsync),
            Op("DeleteIdentities", true, c.DeleteIdentitiesRequest, c.DeleteIdentitiesResponse, identities.DeleteIdentitiesAsync),
            Op("GetOpenIdToken", false, c.GetOpenIdTokenRequest, c.GetOpenIdTokenResponse, credentials.GetOpenIdTokenAsync),
            Op("GetCredentialsForIdentity", false, c.GetCredentialsForIdentityRequest, c.GetCredentialsForIdentityResponse, credentials.GetCredentialsAsync),
            Op("UnlinkIdentity", false, c.UnlinkIdentityRequest, null, lifecycle.Unlink.UnlinkIdentityAsync),
            Op("GetOpenIdTokenForDeveloperIdentity", true, c.GetOpenIdTokenForDeveloperIdentityRequest,
                c.GetOpenIdTokenForDeveloperIdentityResponse, lifecycle.DeveloperToken.RunAsync),
            Op("LookupDeveloperIdentity", true, c.LookupDeveloperIdentityRequest, c.LookupDeveloperIdentityResponse, lifecycle.Developer.LookupAsync),
            Op("MergeDeveloperIdentities", true, c.MergeDeveloperIdentitiesRequest, c.MergeDeveloperIdentitiesResponse, lifecycle.Developer.MergeAsync),
            Op("UnlinkDeveloperIdentity", true, c.UnlinkDeveloperIdentityRequest, null, lifecycle.Developer.UnlinkAsync),

            // Principal tags (issue 4).
            Op("SetPrincipalTagAttributeMap", true, c.SetPrincipalTagAttributeMapRequest, c.PrincipalTagAttributeMapResponse, principalTags.SetAsync),
            Op("GetPrincipalTagAttributeMap", true, c.GetPrincipalTagAttributeMapRequest, c.PrincipalTagAttributeMapResponse, principalTags.GetAsync),
        ];
        _operations = operations.ToFrozenDictionary(o => o.Name, StringComparer.Ordinal);
    }

    public CognitoOperation? Find(string name) => _operations.GetValueOrDefault(name);

    private static CognitoOperation Op<TRequest, TResponse>(
        string name,
        bool signed,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse>? responseType,
        Func<TRequest, CancellationToken, Task<Result<TResponse>>> run)
        where TRequest : class, new()
    {
        return new CognitoOperation(name, signed, async (body, requestId, cancellationToken) =>
        {
            var bound = Bind(body, requestType);
            if (!bound.IsSuccess)
            {
                return JsonReplies.Error(bound.Error!, requestId);
            }

            if (RequestValidation.Validate(bound.Value) is { } invalid)
            {
                return JsonReplies.Error(invalid, requestId);
            }

            var result = await run(bound.Value, cancellationToken).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                return JsonReplies.Error(result.Error!, requestId);
            }

            return responseType is null ? JsonReplies.Empty(requestId) : JsonReplies.Success(result.Value, responseType, requestId);
        });
    }

    /// <summary>An empty body is read as <c>{}</c> (the JS SDK sends <c>{}</c> for empty input); anything unreadable is a SerializationException.</summary>
    private static Result<TRequest> Bind<TRequest>(ReadOnlyMemory<byte> body, JsonTypeInfo<TRequest> type)
        where TRequest : class, new()
    {
        if (body.IsEmpty)
        {
            return new TRequest();
        }

        try
        {
            var value = JsonSerializer.Deserialize(body.Span, type);
            return value is null ? CognitoErrors.Serialization("The request body must be a JSON object.") : value;
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "the request body" : $"'{e.Path.TrimStart('$', '.')}'";
            return CognitoErrors.Serialization($"Could not read {where}: the JSON is malformed or a member has the wrong type.");
        }
    }
}
