namespace IdentityBroker.UserPools.Messages;

/// <summary>
/// A pool's message texts. <c>{####}</c> is the code (or temporary password) and <c>{username}</c> the username, as in
/// Cognito's templates (model: EmailVerificationMessageType, SmsVerificationMessageType, MessageTemplateType). A null text
/// takes Cognito's default.
/// </summary>
public sealed record MessageTemplates(
    string? EmailMessage = null,
    string? EmailSubject = null,
    string? SmsMessage = null,
    string? InviteEmailMessage = null,
    string? InviteEmailSubject = null,
    string? InviteSmsMessage = null,
    string? SmsAuthenticationMessage = null)
{
    public const string CodePlaceholder = "{####}";
    public const string UsernamePlaceholder = "{username}";

    /// <summary>Cognito's default verification text (DescribeUserPool's VerificationMessageTemplate of a new pool).</summary>
    public const string DefaultVerificationMessage = "Your verification code is {####}. ";

    public const string DefaultVerificationSubject = "Your verification code";

    /// <summary>Cognito's default AdminCreateUser invitation.</summary>
    public const string DefaultInviteMessage = "Your username is {username} and temporary password is {####}. ";

    public const string DefaultInviteSubject = "Your temporary password";

    public const string DefaultAuthenticationMessage = "Your authentication code is {####}. ";

    public static MessageTemplates Default { get; } = new();
}
