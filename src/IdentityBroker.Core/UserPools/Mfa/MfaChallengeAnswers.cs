using IdentityBroker.Errors;
using IdentityBroker.UserPools.Codes;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Mfa;

/// <summary>
/// The answers to the MFA challenges <see cref="MfaStep"/> issues (RespondToAuthChallenge, AdminRespondToAuthChallenge).
/// Each Session is used once: the first answer consumes it, right or wrong. A wrong code is CodeMismatchException
/// "Invalid code or auth state for the user." (Cognito's reply quoted in aws-amplify/amplify-js#3066). A software-token code
/// is accepted once (its step is stored with the user by compare-and-swap, so two answers with one code cannot both pass).
/// A wrong code counts toward the sign-in lockout as a wrong password does (<see cref="SignInAttempts"/>), and while the user
/// is locked out no code is checked: "Password attempts exceeded".
/// </summary>
public sealed class MfaChallengeAnswers(
    SignInSessions sessions, SignInSteps steps, MfaStep step, UserWrites writes, TotpCheck totp, CodeDelivery codes, SignInAttempts attempts, TimeProvider time)
{
    public async Task<Result<SignInOutcome>> RespondAsync(
        SignInContext context, SignInSession session, IReadOnlyDictionary<string, string> responses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(responses);
        if (!await sessions.UseOnceAsync(session, cancellationToken).ConfigureAwait(false))
        {
            return SignInErrors.InvalidSession;
        }

        if (SignInLockout.IsLockedOut(context.User.Failures, time.GetUtcNow()))
        {
            return SignInErrors.PasswordAttemptsExceeded;
        }

        return session.Challenge switch
        {
            MfaKinds.SoftwareToken => await SoftwareTokenAsync(context, Response(responses, MfaChallengeNames.SoftwareTokenCode), cancellationToken).ConfigureAwait(false),
            MfaKinds.Sms => await CodeAsync(context, Response(responses, MfaChallengeNames.SmsCode), cancellationToken).ConfigureAwait(false),
            MfaKinds.Email => await CodeAsync(context, Response(responses, MfaChallengeNames.EmailCode), cancellationToken).ConfigureAwait(false),
            MfaChallengeNames.SelectMfaType => await SelectAsync(context, Response(responses, MfaChallengeNames.Answer), cancellationToken).ConfigureAwait(false),
            _ => await SetupAsync(context, session, cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<Result<SignInOutcome>> SoftwareTokenAsync(SignInContext context, Result<string> code, CancellationToken cancellationToken)
    {
        if (!code.IsSuccess)
        {
            return code.Error!;
        }

        var accepted = await writes.ChangeAsync(context.Pool.Id, context.User.Sub, (_, user) =>
            user.Sub == context.User.Sub && user.Mfa.TotpSecret is { } secret && totp.Accept(secret, code.Value, user.Mfa.TotpLastStep) is { } at
                ? user with { Mfa = user.Mfa with { TotpLastStep = at } }
                : CodeErrors.MfaMismatch, cancellationToken).ConfigureAwait(false);
        if (!accepted.IsSuccess)
        {
            return await WrongCodeAsync(context, accepted.Error!, cancellationToken).ConfigureAwait(false);
        }

        return await steps.IssueTokensAsync(context with { User = accepted.Value }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<SignInOutcome>> CodeAsync(SignInContext context, Result<string> code, CancellationToken cancellationToken)
    {
        if (!code.IsSuccess)
        {
            return code.Error!;
        }

        return await codes.CheckAsync(MfaStep.CodeSubjectOf(context.User), code.Value, cancellationToken).ConfigureAwait(false) is { } refused
            ? await WrongCodeAsync(context, refused, cancellationToken).ConfigureAwait(false)
            : await steps.IssueTokensAsync(context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A wrong code is one more failed sign-in attempt; other refusals (an expired code) are not.</summary>
    private async Task<Result<SignInOutcome>> WrongCodeAsync(SignInContext context, AwsError refused, CancellationToken cancellationToken)
    {
        if (refused.Type == CodeErrors.MfaMismatch.Type)
        {
            await attempts.FailedAsync(context.User, cancellationToken).ConfigureAwait(false);
        }

        return refused;
    }

    /// <summary>SELECT_MFA_TYPE: ANSWER names one of MFAS_CAN_CHOOSE; its challenge follows.</summary>
    private async Task<Result<SignInOutcome>> SelectAsync(SignInContext context, Result<string> answer, CancellationToken cancellationToken)
    {
        if (!answer.IsSuccess)
        {
            return answer.Error!;
        }

        return MfaStep.Usable(context.Pool, context.User).Contains(answer.Value)
            ? await step.IssueAsync(context, answer.Value, cancellationToken).ConfigureAwait(false)
            : MfaErrors.NotChoosable;
    }

    /// <summary>MFA_SETUP: answered with the Session VerifySoftwareToken returned once the new token was verified.</summary>
    private async Task<Result<SignInOutcome>> SetupAsync(SignInContext context, SignInSession session, CancellationToken cancellationToken) =>
        session.Data?.GetValueOrDefault(MfaSetupSessions.VerifiedKey) == "true" && context.User.Mfa.TotpEnabled
            ? await steps.IssueTokensAsync(context, cancellationToken).ConfigureAwait(false)
            : MfaErrors.SetupNotDone;

    private static Result<string> Response(IReadOnlyDictionary<string, string> responses, string name) =>
        responses.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : SignInErrors.MissingParameter(name);
}
