using System.Collections.Frozen;
using IdentityBroker.Errors;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// Cognito User Pools behind the edge (<c>X-Amz-Target: AWSCognitoIdentityProviderService.&lt;Op&gt;</c>). The administration
/// operations are signed, RevokeToken is unsigned and the user operations carry an access token, as in AWS
/// (docs/user-pools.md); every other operation of the model answers an error naming it.
/// </summary>
public sealed class UserPoolsEndpoint : IAwsService
{
    public const string TargetPrefix = "AWSCognitoIdentityProviderService.";

    public static readonly AwsRoute Route = AwsRoute.JsonTarget("cognito-idp", TargetPrefix);

    private readonly FrozenDictionary<string, AwsOperation> _operations;

    public UserPoolsEndpoint(UserPoolsOperations operations, ICallerAuthorizer authorizer)
    {
        ArgumentNullException.ThrowIfNull(operations);
        _operations = UserPoolsOperations.ModelOperations
            .Select(operations.Find)
            .OfType<CognitoOperation>()
            .ToFrozenDictionary(o => o.Name, o => JsonOperationTable.Adapt(o, authorizer), StringComparer.Ordinal);
    }

    public Result<AwsOperation> Find(AwsCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return _operations.TryGetValue(call.Name, out var operation)
            ? operation
            : JsonOperationTable.NotServed(call.Name, UserPoolsOperations.ModelOperations);
    }
}
