using System.Text.RegularExpressions;

namespace IdentityBroker.UserPools.Messages;

/// <summary>Builds the message of each purpose from the pool's <see cref="MessageTemplates"/>; pure, no I/O.</summary>
public static partial class UserPoolMessageComposer
{
    /// <summary>A message carrying a one-time code (sign-up, attribute verification, password reset, MFA).</summary>
    public static UserPoolMessage Code(
        MessageTemplates templates, string userPoolId, string username, MessageChannel channel, MessagePurpose purpose, string destination, string code)
    {
        ArgumentNullException.ThrowIfNull(templates);
        if (purpose == MessagePurpose.Invitation)
        {
            throw new ArgumentException("An invitation carries a temporary password: use Invitation.", nameof(purpose));
        }

        var (subject, body) = (channel, purpose) switch
        {
            (MessageChannel.Sms, MessagePurpose.MfaCode) =>
                (string.Empty, templates.SmsAuthenticationMessage ?? MessageTemplates.DefaultAuthenticationMessage),
            (MessageChannel.Sms, _) => (string.Empty, templates.SmsMessage ?? MessageTemplates.DefaultVerificationMessage),
            _ => (templates.EmailSubject ?? MessageTemplates.DefaultVerificationSubject,
                templates.EmailMessage ?? MessageTemplates.DefaultVerificationMessage),
        };
        return new UserPoolMessage(userPoolId, username, channel, purpose, destination, subject, Fill(body, username, code));
    }

    /// <summary>AdminCreateUser's invitation with the temporary password.</summary>
    public static UserPoolMessage Invitation(
        MessageTemplates templates, string userPoolId, string username, MessageChannel channel, string destination, string temporaryPassword)
    {
        ArgumentNullException.ThrowIfNull(templates);
        var (subject, body) = channel == MessageChannel.Sms
            ? (string.Empty, templates.InviteSmsMessage ?? MessageTemplates.DefaultInviteMessage)
            : (templates.InviteEmailSubject ?? MessageTemplates.DefaultInviteSubject, templates.InviteEmailMessage ?? MessageTemplates.DefaultInviteMessage);
        return new UserPoolMessage(userPoolId, username, channel, MessagePurpose.Invitation, destination, subject,
            Fill(body, username, temporaryPassword));
    }

    /// <summary><paramref name="message"/> in the words a CustomMessage function returned, its placeholders filled.</summary>
    public static UserPoolMessage Reword(UserPoolMessage message, string subject, string bodyTemplate, string code)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message with { Subject = subject, Body = Fill(bodyTemplate, message.Username, code) };
    }

    // One pass over the template: a username holding "{####}" or a secret holding "{username}" is text, never a placeholder.
    private static string Fill(string template, string username, string secret) =>
        Placeholders().Replace(template, m => m.Value == MessageTemplates.CodePlaceholder ? secret : username);

    [GeneratedRegex(@"\{####\}|\{username\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholders();
}
