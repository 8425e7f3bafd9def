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
            .ToFrozenDictionary(o => o.Name, o => JsonOperationTable.Adapt(o, authorizer), StringComparer.Ordinal);
    }

    public Result<AwsOperation> Find(AwsCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (_operations.TryGetValue(call.Name, out var operation))
        {
            return operation;
        }

        return JsonOperationTable.NotServed(call.Name, CognitoOperations.ModelOperations);
    }
}
