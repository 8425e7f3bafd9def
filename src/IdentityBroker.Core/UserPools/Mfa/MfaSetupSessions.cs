using IdentityBroker.Errors;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Mfa;

/// <summary>
/// AssociateSoftwareToken and VerifySoftwareToken with the Session of an MFA_SETUP challenge instead of an access token:
/// each consumes the Session it is given and returns the next one; the Session VerifySoftwareToken returns records that
/// the new token was verified, which is what RespondToAuthChallenge MFA_SETUP requires.
/// </summary>
public sealed class MfaSetupSessions(SignInSessions sessions, MfaStep step, UserWrites writes, SoftwareTokenOperations tokens)
{
    internal const string VerifiedKey = "softwareTokenVerified";

    public async Task<Result<(string SecretCode, string Session)>> AssociateAsync(string? sealedSession, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(sealedSession, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            return opened.Error!;
        }

        var (session, user) = opened.Value;
        var secret = await tokens.AssociateAsync(new AssociateSoftwareToken(new MfaUser(session.UserPoolId, user.Sub)), cancellationToken).ConfigureAwait(false);
        if (!secret.IsSuccess)
        {
            return secret.Error!;
        }

        var next = await step.SessionAsync(session.UserPoolId, session.ClientId, session.Validity, user, MfaChallengeNames.MfaSetup, null, cancellationToken)
            .ConfigureAwait(false);
        return (secret.Value, next);
    }

    public async Task<Result<string>> VerifyAsync(string? sealedSession, string userCode, string? friendlyDeviceName, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(sealedSession, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            return opened.Error!;
        }

        var (session, user) = opened.Value;
        var verified = await tokens.VerifyAsync(new VerifySoftwareToken(new MfaUser(session.UserPoolId, user.Sub), userCode, friendlyDeviceName), cancellationToken)
            .ConfigureAwait(false);
        if (!verified.IsSuccess)
        {
            return verified.Error!;
        }

        var data = new Dictionary<string, string>(StringComparer.Ordinal) { [VerifiedKey] = "true" };
        return await step.SessionAsync(session.UserPoolId, session.ClientId, session.Validity, verified.Value, MfaChallengeNames.MfaSetup, data, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>An intact, unexpired MFA_SETUP Session, used now for the first and only time, and its user.</summary>
    private async Task<Result<(SignInSession Session, PoolUser User)>> OpenAsync(string? sealedSession, CancellationToken cancellationToken)
    {
        var opened = await sessions.OpenAnyClientAsync(sealedSession, MfaChallengeNames.MfaSetup, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess || !await sessions.UseOnceAsync(opened.Value, cancellationToken).ConfigureAwait(false))
        {
            return SignInErrors.InvalidSession;
        }

        var (_, user) = await writes.FindAsync(opened.Value.UserPoolId, opened.Value.Sub, cancellationToken).ConfigureAwait(false);
        return user.IsSuccess && user.Value.Sub == opened.Value.Sub ? (opened.Value, user.Value) : SignInErrors.InvalidSession;
    }
}
