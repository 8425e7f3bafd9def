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

    /// <summary>What the audit trail records beyond the labels; null unless an observer asks for it (<see cref="ICallObserver.WantsDetails"/>).</summary>
    public CallDetails? Details { get; init; }
}

/// <summary>
/// The audit trail's view of a completed call: request parameters already redacted (docs/audit.md, "Redaction"), what the
/// operation recorded (its decision, the access key id it issued), and the user agent. No token, secret, password or code.
/// An observer that must hold the reply until its record is durable sets <see cref="ReplyHold"/>; the edge awaits it.
/// </summary>
public sealed class CallDetails(
    string? userAgent, string? requestParameters, Audit.CallAuditCapture? capture, string? responseIdentityId, string? callerArn, string? callerUserId)
{
    /// <summary>The verified signer's ARN (an IAM user, the account root or an assumed-role session); null for unsigned calls.</summary>
    public string? CallerArn => callerArn;

    /// <summary>The verified signer's unique id (CloudTrail's principalId).</summary>
    public string? CallerUserId => callerUserId;

    public string? UserAgent => userAgent;

    /// <summary>The request's parameters as a JSON object with CloudTrail's camelCase names, sensitive values hidden; null when none.</summary>
    public string? RequestParameters => requestParameters;

    public Audit.CallAuditCapture? Capture => capture;

    /// <summary>The IdentityId of a successful Cognito Identity reply (GetId, GetCredentialsForIdentity, …).</summary>
    public string? ResponseIdentityId => responseIdentityId;

    /// <summary>The error reply's message (AWS errors carry no secrets); null on success.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Completes when the reply may be written; a fault refuses the reply with a retryable error.</summary>
    public Task? ReplyHold { get; set; }
}

/// <summary>
/// Told of every call the edge completes, once, after the reply is ready and before it is written: where metrics are
/// counted and, later, audit events recorded. Any number may be registered. Called on the request's thread, so an
/// observer is quick and never throws; a slow sink queues.
/// </summary>
public interface ICallObserver
{
    /// <summary>True when this observer reads <see cref="CallCompleted.Details"/>; the edge builds them only then.</summary>
    bool WantsDetails => false;

    void OnCallCompleted(in CallCompleted call);
}
