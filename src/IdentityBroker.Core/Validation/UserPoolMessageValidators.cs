using System.Text.RegularExpressions;
using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

/// <summary>
/// The message members of CreateUserPool and UpdateUserPool against the model's shapes. The letter/mark/symbol/number/
/// punctuation classes are .NET's Unicode categories, as Java's; <c>\s</c> here also takes Unicode spaces Java's does not.
/// </summary>
internal static partial class PoolMessageChecks
{
    private const string Text = @"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*";

    public static readonly StringShape SmsVerificationMessageType = new(6, 140, @".*\{####\}.*", SmsCode());

    public static readonly StringShape EmailVerificationMessageType = new(6, 20000, Text + @"\{####\}" + Text, EmailCode());

    public static readonly StringShape EmailVerificationSubjectType = new(1, 140, @"[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+", Subject());

    public static readonly StringShape EmailVerificationMessageByLinkType = new(6, 20000, Text + @"\{##" + Text + "##\\}" + Text, Link());

    public static readonly StringShape SmsInviteMessageType = new(6, 140, "(?s).*", AnyText());

    public static readonly StringShape EmailInviteMessageType = new(6, 20000, Text, EmailText());

    public static readonly EnumShape DefaultEmailOptionType = new("CONFIRM_WITH_LINK", "CONFIRM_WITH_CODE");

    public static readonly IntegerShape UnusedAccountValidityDaysType = new(0, 365);

    public static void Check<T>(ValidationContext<T> context, PoolMessageShapes m)
    {
        ModelChecks.String(context, "smsVerificationMessage", m.SmsVerificationMessage, SmsVerificationMessageType, false);
        ModelChecks.String(context, "emailVerificationMessage", m.EmailVerificationMessage, EmailVerificationMessageType, false);
        ModelChecks.String(context, "emailVerificationSubject", m.EmailVerificationSubject, EmailVerificationSubjectType, false);
        ModelChecks.String(context, "smsAuthenticationMessage", m.SmsAuthenticationMessage, SmsVerificationMessageType, false);
        if (m.VerificationMessageTemplate is { } t)
        {
            const string P = "verificationMessageTemplate.";
            ModelChecks.String(context, P + "smsMessage", t.SmsMessage, SmsVerificationMessageType, false);
            ModelChecks.String(context, P + "emailMessage", t.EmailMessage, EmailVerificationMessageType, false);
            ModelChecks.String(context, P + "emailSubject", t.EmailSubject, EmailVerificationSubjectType, false);
            ModelChecks.String(context, P + "emailMessageByLink", t.EmailMessageByLink, EmailVerificationMessageByLinkType, false);
            ModelChecks.String(context, P + "emailSubjectByLink", t.EmailSubjectByLink, EmailVerificationSubjectType, false);
            ModelChecks.Enum(context, P + "defaultEmailOption", t.DefaultEmailOption, DefaultEmailOptionType, false);
        }

        if (m.AdminCreateUserConfig is { } a)
        {
            const string P = "adminCreateUserConfig.";
            ModelChecks.Integer(context, P + "unusedAccountValidityDays", a.UnusedAccountValidityDays, UnusedAccountValidityDaysType, false);
            ModelChecks.String(context, P + "inviteMessageTemplate.sMSMessage", a.InviteMessageTemplate?.SMSMessage, SmsInviteMessageType, false);
            ModelChecks.String(context, P + "inviteMessageTemplate.emailMessage", a.InviteMessageTemplate?.EmailMessage, EmailInviteMessageType, false);
            ModelChecks.String(context, P + "inviteMessageTemplate.emailSubject", a.InviteMessageTemplate?.EmailSubject, EmailVerificationSubjectType, false);
        }
    }

    [GeneratedRegex(@"\A.*\{####\}.*\z", RegexOptions.CultureInvariant)]
    private static partial Regex SmsCode();

    [GeneratedRegex(@"\A[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex EmailCode();

    [GeneratedRegex(@"\A[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Subject();

    [GeneratedRegex(@"\A[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{##[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*##\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Link();

    [GeneratedRegex(@"\A.*\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex AnyText();

    [GeneratedRegex(@"\A[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex EmailText();
}
