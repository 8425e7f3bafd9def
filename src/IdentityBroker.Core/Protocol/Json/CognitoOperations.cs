using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IdentityBroker.Credentials;
using IdentityBroker.Errors;
using IdentityBroker.Identities;
using IdentityBroker.Identities.Linking;
using IdentityBroker.Mapping;
using IdentityBroker.Pools;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// One Cognito Identity operation: its name, whether it needs SigV4 (exactly the operations that declare the resources they
/// act on), and its handler: bind → validate → authorize (signed operations) → run → write.
/// </summary>
public sealed record CognitoOperation(
    string Name, bool RequiresSignature, Func<ReadOnlyMemory<byte>, VerifiedCall?, string, CancellationToken, Task<ProtocolResponse>> Handle);

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
        PrincipalTagOperations principalTags,
        CognitoResources resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(principalTags);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(principalTags);
        var c = CognitoJsonContext.Default;
        var r = resources;
        CognitoOperation[] operations =
        [
            Signed("CreateIdentityPool", c.CreateIdentityPoolRequest, c.IdentityPoolShape, pools.CreateAsync, (q, _) => CognitoResources.Create(q.IdentityPoolTags)),
            Signed("DescribeIdentityPool", c.IdentityPoolIdRequest, c.IdentityPoolShape, pools.DescribeAsync, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("UpdateIdentityPool", c.IdentityPoolShape, c.IdentityPoolShape, pools.UpdateAsync, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("DeleteIdentityPool", c.IdentityPoolIdRequest, null, pools.DeleteAsync, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("ListIdentityPools", c.ListIdentityPoolsRequest, c.ListIdentityPoolsResponse, pools.ListAsync, (_, _) => CognitoResources.Account()),
            Signed("SetIdentityPoolRoles", c.SetIdentityPoolRolesRequest, null, roles.SetAsync, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("GetIdentityPoolRoles", c.IdentityPoolIdRequest, c.GetIdentityPoolRolesResponse, roles.GetAsync, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Unsigned("GetId", c.GetIdRequest, c.GetIdResponse, identities.GetIdAsync),
            Signed("DescribeIdentity", c.IdentityIdRequest, c.IdentityDescription, identities.DescribeIdentityAsync,
                (q, t) => r.IdentitiesAsync(q.IdentityId is { } id ? [id] : null, t)),
            Signed("ListIdentities", c.ListIdentitiesRequest, c.ListIdentitiesResponse, identities.ListIdentitiesAsync, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("DeleteIdentities", c.DeleteIdentitiesRequest, c.DeleteIdentitiesResponse, identities.DeleteIdentitiesAsync,
                (q, t) => r.IdentitiesAsync(q.IdentityIdsToDelete, t)),
            Unsigned("GetOpenIdToken", c.GetOpenIdTokenRequest, c.GetOpenIdTokenResponse, credentials.GetOpenIdTokenAsync),
            Unsigned("GetCredentialsForIdentity", c.GetCredentialsForIdentityRequest, c.GetCredentialsForIdentityResponse, credentials.GetCredentialsAsync),
            Unsigned("UnlinkIdentity", c.UnlinkIdentityRequest, null, lifecycle.Unlink.UnlinkIdentityAsync),
            Signed("GetOpenIdTokenForDeveloperIdentity", c.GetOpenIdTokenForDeveloperIdentityRequest,
                c.GetOpenIdTokenForDeveloperIdentityResponse, lifecycle.DeveloperToken.RunAsync, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("LookupDeveloperIdentity", c.LookupDeveloperIdentityRequest, c.LookupDeveloperIdentityResponse, lifecycle.Developer.LookupAsync,
                (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("MergeDeveloperIdentities", c.MergeDeveloperIdentitiesRequest, c.MergeDeveloperIdentitiesResponse, lifecycle.Developer.MergeAsync,
                (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("UnlinkDeveloperIdentity", c.UnlinkDeveloperIdentityRequest, null, lifecycle.Developer.UnlinkAsync, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),

            // Principal tags (issue 4).
            Signed("SetPrincipalTagAttributeMap", c.SetPrincipalTagAttributeMapRequest, c.PrincipalTagAttributeMapResponse, principalTags.SetAsync,
                (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("GetPrincipalTagAttributeMap", c.GetPrincipalTagAttributeMapRequest, c.PrincipalTagAttributeMapResponse, principalTags.GetAsync,
                (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
        ];
        _operations = operations.ToFrozenDictionary(o => o.Name, StringComparer.Ordinal);
    }

    public CognitoOperation? Find(string name) => _operations.GetValueOrDefault(name);

    /// <summary>An operation AWS serves only to signed callers, authorized against the resources <paramref name="resources"/> finds in its bound input.</summary>
    private static CognitoOperation Signed<TRequest, TResponse>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse>? responseType,
        Func<TRequest, CancellationToken, Task<Result<TResponse>>> run,
        Func<TRequest, CancellationToken, ValueTask<IReadOnlyList<ResourceContext>>> resources)
        where TRequest : class, new()
    {
        var action = "cognito-identity:" + name;
        return new CognitoOperation(name, RequiresSignature: true, (body, call, requestId, cancellationToken) =>
            HandleAsync(body, requestId, requestType, responseType, (request, ct) => Authorize(call, request, ct), run, cancellationToken));

        ValueTask<AwsError?> Authorize(VerifiedCall? call, TRequest request, CancellationToken cancellationToken) =>
            // The endpoint verifies the signature of every signed operation first; reaching here without it is a bug.
            (call ?? throw new InvalidOperationException($"{name} was called without a verified caller."))
            .AuthorizeAsync(action, t => resources(request, t), cancellationToken);
    }

    /// <summary>An operation AWS serves unsigned (GetId, GetOpenIdToken, GetCredentialsForIdentity, UnlinkIdentity).</summary>
    private static CognitoOperation Unsigned<TRequest, TResponse>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse>? responseType,
        Func<TRequest, CancellationToken, Task<Result<TResponse>>> run)
        where TRequest : class, new() =>
        new(name, RequiresSignature: false, (body, _, requestId, cancellationToken) =>
            HandleAsync(body, requestId, requestType, responseType, static (_, _) => ValueTask.FromResult<AwsError?>(null), run, cancellationToken));

    private static async Task<ProtocolResponse> HandleAsync<TRequest, TResponse>(
        ReadOnlyMemory<byte> body,
        string requestId,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse>? responseType,
        Func<TRequest, CancellationToken, ValueTask<AwsError?>> authorize,
        Func<TRequest, CancellationToken, Task<Result<TResponse>>> run,
        CancellationToken cancellationToken)
        where TRequest : class, new()
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

        if (await authorize(bound.Value, cancellationToken).ConfigureAwait(false) is { } denied)
        {
            return JsonReplies.Error(denied, requestId);
        }

        var result = await run(bound.Value, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return JsonReplies.Error(result.Error!, requestId);
        }

        return responseType is null ? JsonReplies.Empty(requestId) : JsonReplies.Success(result.Value, responseType, requestId);
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
