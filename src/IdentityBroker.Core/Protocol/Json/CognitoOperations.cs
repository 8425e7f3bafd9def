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
using Bind = IdentityBroker.Protocol.Json.CognitoBinding;
using Shape = IdentityBroker.Protocol.Json.CognitoReplyShapes;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// One Cognito Identity operation: its name, whether it needs SigV4 (exactly the operations that declare the resources they
/// act on), and its handler: read → validate → bind the command → authorize (signed operations) → run → write.
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
        LinkingOperations linking,
        PrincipalTagOperations principalTags,
        CognitoResources resources)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(linking);
        ArgumentNullException.ThrowIfNull(principalTags);
        ArgumentNullException.ThrowIfNull(resources);
        var c = CognitoJsonContext.Default;
        var r = resources;
        CognitoOperation[] operations =
        [
            Signed("CreateIdentityPool", c.CreateIdentityPoolRequest, Bind.CreateIdentityPool, pools.CreateAsync,
                Shape.Pool, c.IdentityPoolShape, (q, _) => CognitoResources.Create(q.Settings.IdentityPoolTags)),
            Signed("DescribeIdentityPool", c.IdentityPoolIdRequest, Bind.DescribeIdentityPool, pools.DescribeAsync,
                Shape.Pool, c.IdentityPoolShape, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("UpdateIdentityPool", c.IdentityPoolShape, Bind.UpdateIdentityPool, pools.UpdateAsync,
                Shape.Pool, c.IdentityPoolShape, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("DeleteIdentityPool", c.IdentityPoolIdRequest, Bind.DeleteIdentityPool, pools.DeleteAsync, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("ListIdentityPools", c.ListIdentityPoolsRequest, Bind.ListIdentityPools, pools.ListAsync,
                Shape.Pools, c.ListIdentityPoolsResponse, (_, _) => CognitoResources.Account()),
            Signed("SetIdentityPoolRoles", c.SetIdentityPoolRolesRequest, Bind.SetIdentityPoolRoles, roles.SetAsync, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("GetIdentityPoolRoles", c.IdentityPoolIdRequest, Bind.GetIdentityPoolRoles, roles.GetAsync,
                Shape.PoolRoles, c.GetIdentityPoolRolesResponse, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Unsigned("GetId", c.GetIdRequest, Bind.GetId, identities.GetIdAsync, Shape.IdentityId, c.GetIdResponse),
            Signed("DescribeIdentity", c.IdentityIdRequest, Bind.DescribeIdentity, identities.DescribeIdentityAsync,
                Shape.Description, c.IdentityDescription, (q, t) => r.IdentitiesAsync([q.IdentityId], t)),
            Signed("ListIdentities", c.ListIdentitiesRequest, Bind.ListIdentities, identities.ListIdentitiesAsync,
                Shape.Identities, c.ListIdentitiesResponse, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("DeleteIdentities", c.DeleteIdentitiesRequest, Bind.DeleteIdentities, identities.DeleteIdentitiesAsync,
                Shape.Deleted, c.DeleteIdentitiesResponse, (q, t) => r.IdentitiesAsync(q.IdentityIds, t)),
            Unsigned("GetOpenIdToken", c.GetOpenIdTokenRequest, Bind.GetOpenIdToken, credentials.GetOpenIdTokenAsync,
                Shape.OpenIdToken, c.GetOpenIdTokenResponse),
            Unsigned("GetCredentialsForIdentity", c.GetCredentialsForIdentityRequest, Bind.GetCredentialsForIdentity, credentials.GetCredentialsAsync,
                Shape.Credentials, c.GetCredentialsForIdentityResponse),
            Unsigned("UnlinkIdentity", c.UnlinkIdentityRequest, Bind.UnlinkIdentity, linking.Unlink.UnlinkIdentityAsync),
            Signed("GetOpenIdTokenForDeveloperIdentity", c.GetOpenIdTokenForDeveloperIdentityRequest, Bind.GetOpenIdTokenForDeveloperIdentity,
                linking.DeveloperToken.RunAsync, Shape.DeveloperToken, c.GetOpenIdTokenForDeveloperIdentityResponse,
                (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("LookupDeveloperIdentity", c.LookupDeveloperIdentityRequest, Bind.LookupDeveloperIdentity, linking.Developer.LookupAsync,
                Shape.DeveloperUsers, c.LookupDeveloperIdentityResponse, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("MergeDeveloperIdentities", c.MergeDeveloperIdentitiesRequest, Bind.MergeDeveloperIdentities, linking.Developer.MergeAsync,
                Shape.Merged, c.MergeDeveloperIdentitiesResponse, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("UnlinkDeveloperIdentity", c.UnlinkDeveloperIdentityRequest, Bind.UnlinkDeveloperIdentity, linking.Developer.UnlinkAsync, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("SetPrincipalTagAttributeMap", c.SetPrincipalTagAttributeMapRequest, Bind.SetPrincipalTagAttributeMap, principalTags.SetAsync,
                Shape.PrincipalTags, c.PrincipalTagAttributeMapResponse, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
            Signed("GetPrincipalTagAttributeMap", c.GetPrincipalTagAttributeMapRequest, Bind.GetPrincipalTagAttributeMap, principalTags.GetAsync,
                Shape.PrincipalTags, c.PrincipalTagAttributeMapResponse, (q, t) => r.PoolAsync(q.IdentityPoolId, t)),
        ];
        _operations = operations.ToFrozenDictionary(o => o.Name, StringComparer.Ordinal);
    }

    public CognitoOperation? Find(string name) => _operations.GetValueOrDefault(name);

    /// <summary>An operation AWS serves only to signed callers, authorized against the resources <paramref name="resources"/> finds in its command.</summary>
    private static CognitoOperation Signed<TRequest, TCommand, TResult, TResponse>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        Func<TRequest, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<TResult>>> run,
        Func<TResult, TResponse> shape,
        JsonTypeInfo<TResponse> responseType,
        Func<TCommand, CancellationToken, ValueTask<IReadOnlyList<ResourceContext>>> resources)
        where TRequest : class, IModelRequest<TRequest>, new() =>
        SignedOperation(name, requestType, bind, run, Reply(shape, responseType), resources);

    /// <summary>A signed operation without output: it answers an empty body.</summary>
    private static CognitoOperation Signed<TRequest, TCommand>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        Func<TRequest, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<Unit>>> run,
        Func<TCommand, CancellationToken, ValueTask<IReadOnlyList<ResourceContext>>> resources)
        where TRequest : class, IModelRequest<TRequest>, new() =>
        SignedOperation(name, requestType, bind, run, static (Unit _, string requestId) => JsonReplies.Empty(requestId), resources);

    private static CognitoOperation SignedOperation<TRequest, TCommand, TResult>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        Func<TRequest, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<TResult>>> run,
        Func<TResult, string, ProtocolResponse> reply,
        Func<TCommand, CancellationToken, ValueTask<IReadOnlyList<ResourceContext>>> resources)
        where TRequest : class, IModelRequest<TRequest>, new()
    {
        var action = "cognito-identity:" + name;
        return new CognitoOperation(name, RequiresSignature: true, (body, call, requestId, cancellationToken) =>
            HandleAsync(body, requestId, requestType, bind, (command, ct) => Authorize(call, command, ct), run, reply, cancellationToken));

        ValueTask<AwsError?> Authorize(VerifiedCall? call, TCommand command, CancellationToken cancellationToken) =>
            // The endpoint verifies the signature of every signed operation first; reaching here without it is a bug.
            (call ?? throw new InvalidOperationException($"{name} was called without a verified caller."))
            .AuthorizeAsync(action, t => resources(command, t), cancellationToken);
    }

    /// <summary>An operation AWS serves unsigned (GetId, GetOpenIdToken, GetCredentialsForIdentity).</summary>
    private static CognitoOperation Unsigned<TRequest, TCommand, TResult, TResponse>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        Func<TRequest, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<TResult>>> run,
        Func<TResult, TResponse> shape,
        JsonTypeInfo<TResponse> responseType)
        where TRequest : class, IModelRequest<TRequest>, new() =>
        UnsignedOperation(name, requestType, bind, run, Reply(shape, responseType));

    /// <summary>An unsigned operation without output (UnlinkIdentity): it answers an empty body.</summary>
    private static CognitoOperation Unsigned<TRequest, TCommand>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        Func<TRequest, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<Unit>>> run)
        where TRequest : class, IModelRequest<TRequest>, new() =>
        UnsignedOperation(name, requestType, bind, run, static (Unit _, string requestId) => JsonReplies.Empty(requestId));

    private static CognitoOperation UnsignedOperation<TRequest, TCommand, TResult>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        Func<TRequest, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<TResult>>> run,
        Func<TResult, string, ProtocolResponse> reply)
        where TRequest : class, IModelRequest<TRequest>, new() =>
        new(name, RequiresSignature: false, (body, _, requestId, cancellationToken) =>
            HandleAsync(body, requestId, requestType, bind, static (_, _) => ValueTask.FromResult<AwsError?>(null), run, reply, cancellationToken));

    /// <summary>The operation's result written as its response shape.</summary>
    private static Func<TResult, string, ProtocolResponse> Reply<TResult, TResponse>(Func<TResult, TResponse> shape, JsonTypeInfo<TResponse> responseType) =>
        (result, requestId) => JsonReplies.Success(shape(result), responseType, requestId);

    private static async Task<ProtocolResponse> HandleAsync<TRequest, TCommand, TResult>(
        ReadOnlyMemory<byte> body,
        string requestId,
        JsonTypeInfo<TRequest> requestType,
        Func<TRequest, TCommand> bind,
        Func<TCommand, CancellationToken, ValueTask<AwsError?>> authorize,
        Func<TCommand, CancellationToken, Task<Result<TResult>>> run,
        Func<TResult, string, ProtocolResponse> reply,
        CancellationToken cancellationToken)
        where TRequest : class, IModelRequest<TRequest>, new()
    {
        var bound = Read(body, requestType);
        if (!bound.IsSuccess)
        {
            return JsonReplies.Error(bound.Error!, requestId);
        }

        if (RequestValidation.Validate(bound.Value) is { } invalid)
        {
            return JsonReplies.Error(invalid, requestId);
        }

        var command = bind(bound.Value);
        if (await authorize(command, cancellationToken).ConfigureAwait(false) is { } denied)
        {
            return JsonReplies.Error(denied, requestId);
        }

        var result = await run(command, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? reply(result.Value, requestId) : JsonReplies.Error(result.Error!, requestId);
    }

    /// <summary>An empty body is read as <c>{}</c> (the JS SDK sends <c>{}</c> for empty input); anything unreadable is a SerializationException.</summary>
    private static Result<TRequest> Read<TRequest>(ReadOnlyMemory<byte> body, JsonTypeInfo<TRequest> type)
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
