using IdentityBroker.UserPools.Messages;

namespace IdentityBroker.Protocol.Json;

/// <summary>VerificationMessageTemplateType.</summary>
public sealed class VerificationMessageTemplateShape
{
    public string? SmsMessage { get; set; }

    public string? EmailMessage { get; set; }

    public string? EmailSubject { get; set; }

    public string? EmailMessageByLink { get; set; }

    public string? EmailSubjectByLink { get; set; }

    public string? DefaultEmailOption { get; set; }
}

/// <summary>AdminCreateUserConfigType.</summary>
public sealed class AdminCreateUserConfigShape
{
    public bool? AllowAdminCreateUserOnly { get; set; }

    public int? UnusedAccountValidityDays { get; set; }

    public InviteMessageTemplateShape? InviteMessageTemplate { get; set; }
}

/// <summary>MessageTemplateType (AdminCreateUser's invitation).</summary>
public sealed class InviteMessageTemplateShape
{
    public string? SMSMessage { get; set; }

    public string? EmailMessage { get; set; }

    public string? EmailSubject { get; set; }
}

/// <summary>The message members CreateUserPool and UpdateUserPool both carry.</summary>
internal sealed record PoolMessageShapes(
    string? SmsVerificationMessage,
    string? EmailVerificationMessage,
    string? EmailVerificationSubject,
    VerificationMessageTemplateShape? VerificationMessageTemplate,
    string? SmsAuthenticationMessage,
    AdminCreateUserConfigShape? AdminCreateUserConfig)
{
    /// <summary>
    /// The pool's texts. VerificationMessageTemplate is the current member; the older top-level EmailVerificationMessage,
    /// EmailVerificationSubject and SmsVerificationMessage are read where the template leaves a text out. Null when the
    /// request sets no text (Cognito's defaults apply).
    /// </summary>
    public MessageTemplates? Templates()
    {
        var t = VerificationMessageTemplate;
        var invite = AdminCreateUserConfig?.InviteMessageTemplate;
        var templates = new MessageTemplates(
            t?.EmailMessage ?? EmailVerificationMessage,
            t?.EmailSubject ?? EmailVerificationSubject,
            t?.SmsMessage ?? SmsVerificationMessage,
            invite?.EmailMessage,
            invite?.EmailSubject,
            invite?.SMSMessage,
            SmsAuthenticationMessage);
        return templates == MessageTemplates.Default ? null : templates;
    }

    /// <summary>DescribeUserPool's members for <paramref name="templates"/>, as Cognito echoes them (both the template and the older members).</summary>
    public static void Write(UserPoolShape shape, MessageTemplates? templates, bool adminCreateUserOnly)
    {
        var t = templates ?? MessageTemplates.Default;
        shape.EmailVerificationMessage = t.EmailMessage;
        shape.EmailVerificationSubject = t.EmailSubject;
        shape.SmsVerificationMessage = t.SmsMessage;
        shape.SmsAuthenticationMessage = t.SmsAuthenticationMessage;
        shape.VerificationMessageTemplate = new VerificationMessageTemplateShape
        {
            EmailMessage = t.EmailMessage,
            EmailSubject = t.EmailSubject,
            SmsMessage = t.SmsMessage,
            DefaultEmailOption = "CONFIRM_WITH_CODE",
        };
        shape.AdminCreateUserConfig = new AdminCreateUserConfigShape
        {
            AllowAdminCreateUserOnly = adminCreateUserOnly,
            InviteMessageTemplate = t.InviteEmailMessage is null && t.InviteEmailSubject is null && t.InviteSmsMessage is null
                ? null
                : new InviteMessageTemplateShape { EmailMessage = t.InviteEmailMessage, EmailSubject = t.InviteEmailSubject, SMSMessage = t.InviteSmsMessage },
        };
    }
}
