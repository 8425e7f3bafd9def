using IdentityBroker.Errors;
using IdentityBroker.UserPools.Messages;

namespace IdentityBroker.UserPools.Codes;

/// <summary>
/// What the sign-up, verification, reset and MFA flows call: issue a code for a subject and send it in the pool's text;
/// check a code. The code exists only in the message.
/// </summary>
public sealed class CodeDelivery(OneTimeCodes codes, IUserPoolMessageSender sender, Triggers.MessageTriggers triggers)
{
    /// <summary>
    /// Issues a new code for <paramref name="subject"/> (replacing any earlier one) and sends it. With
    /// <paramref name="trigger"/>, the pool's message triggers run: a custom sender for the channel takes the code
    /// instead of the broker's transport, else a CustomMessage function may reword the message.
    /// </summary>
    /// <returns>Unit, or Cognito's CodeDeliveryFailureException when the message could not be handed over.</returns>
    public async Task<Result<Unit>> IssueAndSendAsync(
        CodeSubject subject, string username, MessageChannel channel, string destination, MessageTemplates templates, CancellationToken cancellationToken,
        Triggers.CodeMessageTrigger? trigger = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var code = await codes.IssueAsync(subject, cancellationToken).ConfigureAwait(false);
        var message = UserPoolMessageComposer.Code(templates, subject.UserPoolId, username, channel, PurposeOf(subject.Purpose), destination, code);
        if (trigger is null)
        {
            return await sender.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }

        return await triggers.SendAsync(trigger, message, code, sender, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a code; null when accepted (and used up), else Cognito's error for the failure.</summary>
    public async Task<AwsError?> CheckAsync(CodeSubject subject, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return CodeErrors.For(await codes.CheckAsync(subject, code, cancellationToken).ConfigureAwait(false), subject.Purpose);
    }

    internal static MessagePurpose PurposeOf(CodePurpose purpose) => purpose switch
    {
        CodePurpose.SignUpConfirmation => MessagePurpose.SignUpConfirmation,
        CodePurpose.AttributeVerification => MessagePurpose.AttributeVerification,
        CodePurpose.PasswordReset => MessagePurpose.PasswordReset,
        CodePurpose.MfaSignIn => MessagePurpose.MfaCode,
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "No message for this purpose."),
    };
}
