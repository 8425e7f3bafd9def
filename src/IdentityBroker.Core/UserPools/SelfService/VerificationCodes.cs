using IdentityBroker.Errors;
using IdentityBroker.UserPools.Codes;
using IdentityBroker.UserPools.Messages;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Triggers;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SelfService;

/// <summary>Where a confirmation, verification or reset code goes, and sending it in the pool's text.</summary>
public sealed class VerificationCodes(CodeDelivery delivery)
{
    private static readonly string[] EmailThenPhone = [StandardAttributes.Email, StandardAttributes.PhoneNumber];

    /// <summary>
    /// The attribute SignUp's confirmation code goes to: the first of email, phone_number that the pool auto-verifies and
    /// the user has; null when the pool verifies nothing (the user then waits for AdminConfirmSignUp).
    /// </summary>
    public static string? SignUpTarget(UserPool pool, PoolUser user)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        var verified = pool.Settings.AutoVerifiedAttributes ?? [];
        return EmailThenPhone.FirstOrDefault(a => verified.Contains(a) && user.Attribute(a) is not null);
    }

    /// <summary>The attribute a reset code goes to: the verified email, else the verified phone number; null for neither.</summary>
    public static string? RecoveryTarget(PoolUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return EmailThenPhone.FirstOrDefault(a => user.Attribute(a) is not null && user.IsVerified(a));
    }

    /// <summary>Issues the subject's code (replacing an earlier one) and sends it to the user's <paramref name="attribute"/>.</summary>
    /// <param name="source">The message triggers' source (<see cref="CodeMessageTrigger"/>); null: the purpose's usual one.</param>
    public async Task<Result<CodeDeliveryDetails>> SendAsync(
        UserPool pool, PoolUser user, CodePurpose purpose, string attribute, CancellationToken cancellationToken, string? source = null,
        TriggerInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        var destination = user.Attribute(attribute) ?? throw new ArgumentException("The user has no such attribute.", nameof(attribute));
        var trigger = new CodeMessageTrigger(pool, user, source ?? SourceOf(purpose)) { Inputs = inputs ?? TriggerInputs.None };
        var sent = await delivery.IssueAndSendAsync(Subject(user, purpose, attribute), user.Username,
            CodeDeliveryDetails.ChannelOf(attribute), destination, PoolMessages.Templates(pool), cancellationToken, trigger).ConfigureAwait(false);
        return sent.IsSuccess ? CodeDeliveryDetails.For(attribute, destination) : sent.Error!;
    }

    public Task<AwsError?> CheckAsync(PoolUser user, CodePurpose purpose, string? attribute, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return delivery.CheckAsync(Subject(user, purpose, attribute), code, cancellationToken);
    }

    private static string SourceOf(CodePurpose purpose) => purpose switch
    {
        CodePurpose.SignUpConfirmation => CodeMessageTrigger.SignUp,
        CodePurpose.PasswordReset => CodeMessageTrigger.ForgotPassword,
        CodePurpose.AttributeVerification => CodeMessageTrigger.VerifyUserAttribute,
        _ => CodeMessageTrigger.Authentication,
    };

    /// <summary>Only attribute verification keys its code by attribute; a user has one live sign-up and one reset code.</summary>
    private static CodeSubject Subject(PoolUser user, CodePurpose purpose, string? attribute) =>
        new(user.UserPoolId, user.Sub, purpose, purpose == CodePurpose.AttributeVerification ? attribute : null);
}
