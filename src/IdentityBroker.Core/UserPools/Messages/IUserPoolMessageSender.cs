using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Messages;

/// <summary>
/// Where a user pool's messages go: SMTP for email, an HTTP webhook for SMS, or the dev outbox when neither is configured
/// (docs/user-pools.md, "Messages"). A seam because delivery is outbound I/O the domain must not know the kind of.
/// </summary>
public interface IUserPoolMessageSender
{
    /// <returns>
    /// Unit when the message was handed over; otherwise Cognito's CodeDeliveryFailureException (the transport refused or
    /// could not be reached), so that the operation that sent it can answer it.
    /// </returns>
    Task<Result<Unit>> SendAsync(UserPoolMessage message, CancellationToken cancellationToken);
}

/// <summary>How a message reaches the user; Cognito's DeliveryMediumType.</summary>
public enum MessageChannel
{
    Email,
    Sms,
}

/// <summary>Why a message is sent; the dev outbox and the log name it, never the code it carries.</summary>
public enum MessagePurpose
{
    SignUpConfirmation,
    Invitation,
    AttributeVerification,
    PasswordReset,
    MfaCode,
}

/// <summary>One message to one user of one pool. <paramref name="Body"/> may carry a code: it is never logged.</summary>
/// <param name="Destination">The email address or E.164 phone number.</param>
public sealed record UserPoolMessage(
    string UserPoolId,
    string Username,
    MessageChannel Channel,
    MessagePurpose Purpose,
    string Destination,
    string Subject,
    string Body);
