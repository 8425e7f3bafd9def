using IdentityBroker.UserPools.Messages;

namespace IdentityBroker.Tests.UserPools.Messages;

[TestFixture]
public sealed class UserPoolMessageComposerTests
{
    private const string Pool = "us-east-1_abc123XYZ";

    [Test]
    public void A_verification_email_uses_cognitos_default_text_and_subject()
    {
        var message = UserPoolMessageComposer.Code(MessageTemplates.Default, Pool, "alice", MessageChannel.Email,
            MessagePurpose.SignUpConfirmation, "alice@example.com", "123456");

        Assert.That((message.Subject, message.Body), Is.EqualTo(("Your verification code", "Your verification code is 123456. ")));
        Assert.That((message.UserPoolId, message.Username, message.Destination), Is.EqualTo((Pool, "alice", "alice@example.com")));
    }

    [Test]
    public void An_invitation_carries_the_username_and_temporary_password()
    {
        var message = UserPoolMessageComposer.Invitation(MessageTemplates.Default, Pool, "bob", MessageChannel.Email, "bob@example.com", "Tmp#Pass1");

        Assert.That(message.Body, Is.EqualTo("Your username is bob and temporary password is Tmp#Pass1. "));
        Assert.That(message.Subject, Is.EqualTo("Your temporary password"));
        Assert.That(message.Purpose, Is.EqualTo(MessagePurpose.Invitation));
    }

    [Test]
    public void The_pools_templates_replace_the_defaults_per_channel_and_purpose()
    {
        var templates = new MessageTemplates(EmailMessage: "Code: {####}", EmailSubject: "Welcome", SmsMessage: "SMS {####}",
            SmsAuthenticationMessage: "Sign-in {####}");

        Assert.That(UserPoolMessageComposer.Code(templates, Pool, "a", MessageChannel.Email, MessagePurpose.PasswordReset, "a@example.com", "111111").Body,
            Is.EqualTo("Code: 111111"));
        Assert.That(UserPoolMessageComposer.Code(templates, Pool, "a", MessageChannel.Sms, MessagePurpose.AttributeVerification, "+15550100", "222222").Body,
            Is.EqualTo("SMS 222222"));
        Assert.That(UserPoolMessageComposer.Code(templates, Pool, "a", MessageChannel.Sms, MessagePurpose.MfaCode, "+15550100", "333333").Body,
            Is.EqualTo("Sign-in 333333"));
    }

    [Test]
    public void A_username_that_looks_like_a_placeholder_stays_text()
    {
        var message = UserPoolMessageComposer.Invitation(MessageTemplates.Default, Pool, "{####}", MessageChannel.Sms, "+15550100", "{username}");

        Assert.That(message.Body, Is.EqualTo("Your username is {####} and temporary password is {username}. "));
    }
}
