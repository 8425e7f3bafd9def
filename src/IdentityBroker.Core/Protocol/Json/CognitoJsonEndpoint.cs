using System.Collections.Frozen;
using IdentityBroker.Errors;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// Cognito Identity behind the edge (<c>X-Amz-Target: AWSCognitoIdentityService.&lt;Op&gt;</c>). The edge verifies SigV4 for
/// signed operations (all but GetId, GetOpenIdToken, GetCredentialsForIdentity and UnlinkIdentity, as in AWS); each operation
/// then authorizes the verified caller once it has bound the resources it acts on.
/// </summary>
public sealed class CognitoJsonEndpoint : IAwsService
{
    public const string TargetPrefix = "AWSCognitoIdentityService.";

    public static readonly AwsRoute Route = AwsRoute.JsonTarget("cognito-identity", TargetPrefix);

    private readonly FrozenDictionary<string, AwsOperation> _operations;

    public CognitoJsonEndpoint(CognitoOperations operations, ICallerAuthorizer authorizer)
    {
        ArgumentNullException.ThrowIfNull(operations);
        _operations = CognitoOperations.ModelOperations
            .Select(operations.Find)
            .OfType<CognitoOperation>()
            .ToFrozenDictionary(o => o.Name, o => Adapt(o, authorizer), StringComparer.Ordinal);
    }

    public Result<AwsOperation> Find(AwsCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (_operations.TryGetValue(call.Name, out var operation))
        {
            return operation;
        }

        var message = CognitoOperations.ModelOperations.Contains(call.Name)
            ? $"The operation {call.Name} is not supported by this broker."
            : $"Unknown operation {Printable(call.Name)}.";
        return CognitoErrors.UnknownOperation(message);
    }

    private static AwsOperation Adapt(CognitoOperation operation, ICallerAuthorizer authorizer) =>
        new(operation.Name, operation.RequiresSignature, (call, cancellationToken) =>
        {
            var verified = call.Caller is { } caller ? new VerifiedCall(authorizer, caller, call.Request, SignatureDialect.Json) : null;
            return operation.Handle(call.Request.Body, verified, call.RequestId, cancellationToken);
        });

    private static string Printable(string name) =>
        name.Length <= 64 && name.All(char.IsAsciiLetterOrDigit) ? name : "(not shown)";
}
