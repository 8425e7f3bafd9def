using IdentityBroker.Errors;

namespace IdentityBroker.Protocol.Services;

/// <summary>
/// One AWS service behind the edge, registered once with its <see cref="AwsRoute"/> (<see cref="AwsServiceCollectionExtensions"/>).
/// The edge reads the body, routes, and asks the service which operation the request names; it then verifies SigV4 when that
/// operation needs it and runs it. So body limits, signature checks and error writing are never a service's own code.
/// </summary>
public interface IAwsService
{
    /// <summary>
    /// The operation <see cref="AwsCall.Name"/> names, or the service's own error for a name it does not serve (e.g.
    /// UnknownOperationException, InvalidAction), which the edge writes in the route's dialect.
    /// </summary>
    Result<AwsOperation> Find(AwsCall call);
}

/// <summary>One operation of a service: its name (a label of metrics, so never taken from the request), whether AWS serves it only to signed callers, and its handler.</summary>
public sealed class AwsOperation(string name, bool requiresSignature, Func<AwsCall, CancellationToken, Task<ProtocolResponse>> handle)
{
    public string Name => name;

    /// <summary>
    /// True: the edge verifies SigV4 before <see cref="HandleAsync"/> and refuses the call when it fails; the handler then
    /// finds the verified signer in <see cref="AwsCall.Caller"/> and authorizes it on the resources it acts on.
    /// </summary>
    public bool RequiresSignature => requiresSignature;

    public Task<ProtocolResponse> HandleAsync(AwsCall call, CancellationToken cancellationToken) => handle(call, cancellationToken);
}
