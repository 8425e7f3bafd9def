namespace IdentityBroker.Observability;

/// <summary>
/// One AWS call the edge answered, whatever the protocol (JSON 1.1, Query, REST-JSON) and whoever wrote the reply (the
/// service, or the edge for a refused signature, an oversized body, a store outage or a fault). Every label is the broker's
/// own: <see cref="Service"/> and <see cref="Operation"/> come from the route and the service's table of operations, never
/// from the request, so their number is bounded. No token, secret or body is carried.
/// </summary>
/// <param name="Service">The route's service (<c>cognito-identity</c>, <c>sts</c>, <c>iam</c>), or <see cref="Unrouted"/>.</param>
/// <param name="Operation">The operation the service found, or <see cref="Unrouted"/> when there was none.</param>
/// <param name="CallerAccessKeyId">The verified signer's access key id; null for unsigned (anonymous) calls.</param>
/// <param name="StatusCode">The HTTP status of the reply.</param>
/// <param name="ErrorType">The AWS error code of an error reply; null on success.</param>
/// <param name="Duration">From the request's arrival at the edge (body reading included) to its reply being ready.</param>
/// <param name="RequestId">The reply's x-amzn-RequestId.</param>
/// <param name="SourceIp">The peer's address, as policies see it in aws:SourceIp.</param>
public readonly record struct CallCompleted(
    string Service,
    string Operation,
    string? CallerAccessKeyId,
    int StatusCode,
    string? ErrorType,
    TimeSpan Duration,
    string RequestId,
    string? SourceIp)
{
    /// <summary>The label of a call no service or operation was found for.</summary>
    public const string Unrouted = "(none)";
}

/// <summary>
/// Told of every call the edge completes, once, after the reply is ready and before it is written: where metrics are
/// counted and, later, audit events recorded. Any number may be registered. Called on the request's thread, so an
/// observer is quick and never throws; a slow sink queues.
/// </summary>
public interface ICallObserver
{
    void OnCallCompleted(in CallCompleted call);
}
