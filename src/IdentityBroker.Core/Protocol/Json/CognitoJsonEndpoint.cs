using IdentityBroker.Errors;
using IdentityBroker.Protocol.Signing;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// The Cognito Identity API at <c>POST /</c>: reads <c>X-Amz-Target</c>, checks SigV4 for signed operations
/// (GetId, GetOpenIdToken, GetCredentialsForIdentity and UnlinkIdentity are unsigned, as in AWS), and runs the operation,
/// which authorizes the verified caller once it has bound the resources it acts on.
/// </summary>
public sealed class CognitoJsonEndpoint(CognitoOperations operations, IRequestAuthenticator authenticator, ICallerAuthorizer authorizer)
{
    public const string TargetPrefix = "AWSCognitoIdentityService.";

    public async Task<ProtocolResponse> HandleAsync(string? target, SignedRequest request, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (target is null || !target.StartsWith(TargetPrefix, StringComparison.Ordinal))
        {
            return JsonReplies.Error(CognitoErrors.UnknownOperation("The X-Amz-Target header must name an operation of AWSCognitoIdentityService."), requestId);
        }

        var name = target[TargetPrefix.Length..];
        var operation = operations.Find(name);
        if (operation is null)
        {
            var message = CognitoOperations.ModelOperations.Contains(name)
                ? $"The operation {name} is not supported by this broker."
                : $"Unknown operation {Printable(name)}.";
            return JsonReplies.Error(CognitoErrors.UnknownOperation(message), requestId);
        }

        VerifiedCall? call = null;
        if (operation.RequiresSignature)
        {
            var caller = await authenticator.AuthenticateAsync(request, SignatureDialect.Json, cancellationToken).ConfigureAwait(false);
            if (!caller.IsSuccess)
            {
                return JsonReplies.Error(caller.Error!, requestId);
            }

            call = new VerifiedCall(authorizer, caller.Value, request, SignatureDialect.Json);
        }

        return await operation.Handle(request.Body, call, requestId, cancellationToken).ConfigureAwait(false);
    }

    private static string Printable(string name) =>
        name.Length <= 64 && name.All(char.IsAsciiLetterOrDigit) ? name : "(not shown)";
}
