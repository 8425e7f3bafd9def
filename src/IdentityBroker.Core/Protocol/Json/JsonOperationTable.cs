using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IdentityBroker.Errors;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.UserPools.Tokens;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// Builds the operations of one JSON 1.1 service (Cognito Identity, Cognito User Pools) the same way: read → validate →
/// bind the command → authorize <c>&lt;service&gt;:&lt;Op&gt;</c> (signed operations) → run → write.
/// </summary>
internal sealed class JsonOperationTable(string service)
{
    /// <summary>An operation AWS serves only to signed callers, authorized against the resources <paramref name="resources"/> finds in its command.</summary>
    public CognitoOperation Signed<TRequest, TCommand, TResult, TResponse>(
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
    public CognitoOperation Signed<TRequest, TCommand>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        Func<TRequest, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<Unit>>> run,
        Func<TCommand, CancellationToken, ValueTask<IReadOnlyList<ResourceContext>>> resources)
        where TRequest : class, IModelRequest<TRequest>, new() =>
        SignedOperation(name, requestType, bind, run, static (Unit _, string requestId) => JsonReplies.Empty(requestId), resources);

    private CognitoOperation SignedOperation<TRequest, TCommand, TResult>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        Func<TRequest, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<TResult>>> run,
        Func<TResult, string, ProtocolResponse> reply,
        Func<TCommand, CancellationToken, ValueTask<IReadOnlyList<ResourceContext>>> resources)
        where TRequest : class, IModelRequest<TRequest>, new()
    {
        var action = service + ":" + name;
        return new CognitoOperation(name, RequiresSignature: true, (request, call, requestId, cancellationToken) =>
            HandleAsync(request.Body, requestId, requestType, bind, (command, ct) => Authorize(call, command, ct), run, reply, cancellationToken));

        ValueTask<AwsError?> Authorize(VerifiedCall? call, TCommand command, CancellationToken cancellationToken) =>
            // The endpoint verifies the signature of every signed operation first; reaching here without it is a bug.
            (call ?? throw new InvalidOperationException($"{name} was called without a verified caller."))
            .AuthorizeAsync(action, t => resources(command, t), cancellationToken);
    }

    /// <summary>An operation AWS serves unsigned (GetId, GetOpenIdToken, GetCredentialsForIdentity).</summary>
    public static CognitoOperation Unsigned<TRequest, TCommand, TResult, TResponse>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        Func<TRequest, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<TResult>>> run,
        Func<TResult, TResponse> shape,
        JsonTypeInfo<TResponse> responseType)
        where TRequest : class, IModelRequest<TRequest>, new() =>
        UnsignedOperation(name, requestType, bind, run, Reply(shape, responseType));

    /// <summary>
    /// An unsigned operation whose command also names the client's address (<see cref="SignedRequest.SourceIp"/>: the peer, or
    /// the address a known proxy forwarded), for per-address quotas (GetId's guest quota, docs/limits.md).
    /// </summary>
    public static CognitoOperation UnsignedFromClient<TRequest, TCommand, TResult, TResponse>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        Func<TRequest, string?, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<TResult>>> run,
        Func<TResult, TResponse> shape,
        JsonTypeInfo<TResponse> responseType)
        where TRequest : class, IModelRequest<TRequest>, new()
    {
        var reply = Reply(shape, responseType);
        return new(name, RequiresSignature: false, (request, _, requestId, cancellationToken) =>
            HandleAsync(request.Body, requestId, requestType, r => bind(r, request.SourceIp), static (_, _) => ValueTask.FromResult<AwsError?>(null),
                run, reply, cancellationToken));
    }

    /// <summary>An unsigned operation without output (UnlinkIdentity): it answers an empty body.</summary>
    public static CognitoOperation Unsigned<TRequest, TCommand>(
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
        new(name, RequiresSignature: false, (request, _, requestId, cancellationToken) =>
            HandleAsync(request.Body, requestId, requestType, bind, static (_, _) => ValueTask.FromResult<AwsError?>(null), run, reply, cancellationToken));

    /// <summary>
    /// An operation AWS authorizes with the user's access token instead of a signature (GetUser, GlobalSignOut, …): after
    /// model validation, <paramref name="authenticator"/> checks the token (<see cref="AccessTokenAuthenticator"/>), and
    /// <paramref name="bind"/> receives whom it speaks for.
    /// </summary>
    public static CognitoOperation AccessToken<TRequest, TCommand, TResult, TResponse>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        AccessTokenAuthenticator authenticator,
        Func<TRequest, string?> accessToken,
        Func<TRequest, AuthenticatedAccess, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<TResult>>> run,
        Func<TResult, TResponse> shape,
        JsonTypeInfo<TResponse> responseType)
        where TRequest : class, IModelRequest<TRequest>, new() =>
        UnsignedOperation(name, requestType, static r => r, Authenticated(authenticator, accessToken, bind, run), Reply(shape, responseType));

    /// <summary>An access-token operation without output (GlobalSignOut): it answers an empty body.</summary>
    public static CognitoOperation AccessToken<TRequest, TCommand>(
        string name,
        JsonTypeInfo<TRequest> requestType,
        AccessTokenAuthenticator authenticator,
        Func<TRequest, string?> accessToken,
        Func<TRequest, AuthenticatedAccess, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<Unit>>> run)
        where TRequest : class, IModelRequest<TRequest>, new() =>
        UnsignedOperation(name, requestType, static r => r, Authenticated(authenticator, accessToken, bind, run),
            static (Unit _, string requestId) => JsonReplies.Empty(requestId));

    private static Func<TRequest, CancellationToken, Task<Result<TResult>>> Authenticated<TRequest, TCommand, TResult>(
        AccessTokenAuthenticator authenticator,
        Func<TRequest, string?> accessToken,
        Func<TRequest, AuthenticatedAccess, TCommand> bind,
        Func<TCommand, CancellationToken, Task<Result<TResult>>> run) =>
        async (request, cancellationToken) =>
        {
            var access = await authenticator.AuthenticateAsync(accessToken(request), cancellationToken).ConfigureAwait(false);
            return access.IsSuccess ? await run(bind(request, access.Value), cancellationToken).ConfigureAwait(false) : access.Error!;
        };

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

    /// <summary>The edge's operation for <paramref name="operation"/>: the verified caller (when signed) handed to its handler.</summary>
    public static AwsOperation Adapt(CognitoOperation operation, ICallerAuthorizer authorizer) =>
        new(operation.Name, operation.RequiresSignature, (call, cancellationToken) =>
        {
            var verified = call.Caller is { } caller ? new VerifiedCall(authorizer, caller, call.Request, SignatureDialect.Json) : null;
            return operation.Handle(call.Request, verified, call.RequestId, cancellationToken);
        });

    /// <summary>A name without a handler: an operation of the model not served yet is named; anything else is unknown.</summary>
    public static AwsError NotServed(string name, IReadOnlySet<string> modelOperations)
    {
        var message = modelOperations.Contains(name)
            ? $"The operation {name} is not supported by this broker."
            : $"Unknown operation {Printable(name)}.";
        return CognitoErrors.UnknownOperation(message);
    }

    private static string Printable(string name) =>
        name.Length <= 64 && name.All(char.IsAsciiLetterOrDigit) ? name : "(not shown)";
}
