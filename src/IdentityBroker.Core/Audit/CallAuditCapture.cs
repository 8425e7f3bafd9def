using IdentityBroker.Errors;
using IdentityBroker.Mapping;

namespace IdentityBroker.Audit;

/// <summary>
/// What an operation tells the audit trail about the call it is serving, beyond its reply: the decision behind a credential
/// request and the access key id of the credentials it issued (never the secret or the session token). The edge opens one per
/// call (<see cref="CallAuditScope.Begin"/>) and reads it when the call completes.
/// </summary>
public sealed class CallAuditCapture
{
    public CredentialDecision? Decision { get; set; }

    /// <summary>The access key id of the credentials issued by this call.</summary>
    public string? IssuedAccessKeyId { get; set; }

    public DateTimeOffset? IssuedExpiration { get; set; }

    /// <summary>The identity the call acted on, when the operation knows it (a resource of the record).</summary>
    public string? IdentityId { get; set; }

    /// <summary>The identity pool the call acted on, when the operation knows it (a resource of the record).</summary>
    public string? IdentityPoolId { get; set; }
}

/// <summary>
/// The call's <see cref="CallAuditCapture"/>, flowing with the call's async context as <c>Activity.Current</c> does, so the
/// operations deep below the edge record into it without every signature carrying it. Outside a call it is null and
/// recording does nothing.
/// </summary>
public static class CallAuditScope
{
    private static readonly AsyncLocal<CallAuditCapture?> Current = new();

    /// <summary>Opens the capture of the call about to run on this async context.</summary>
    public static CallAuditCapture Begin()
    {
        var capture = new CallAuditCapture();
        Current.Value = capture;
        return capture;
    }

    public static CallAuditCapture? Capture => Current.Value;

    public static void Decided(CredentialDecision decision, string? identityPoolId = null, string? identityId = null)
    {
        if (Current.Value is { } capture)
        {
            capture.Decision = decision;
            capture.IdentityPoolId ??= identityPoolId;
            capture.IdentityId ??= identityId;
        }
    }

    /// <summary>Records a refusal with its reason (the audit record's <c>decision.refusal</c>) and returns the error the caller gets.</summary>
    public static AwsError Refused(
        IReadOnlyList<DecidedLogin> logins, RoleDecision? role, AwsError error, string reason, string? identityPoolId = null, string? identityId = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        Decided(CredentialDecision.Refused(logins, role, error, $"{reason}: {error.Message}"), identityPoolId, identityId);
        return error;
    }

    public static void Issued(string accessKeyId, DateTimeOffset expiration)
    {
        if (Current.Value is { } capture)
        {
            capture.IssuedAccessKeyId = accessKeyId;
            capture.IssuedExpiration = expiration;
        }
    }
}
