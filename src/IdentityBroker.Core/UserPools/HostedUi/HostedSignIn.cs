using IdentityBroker.Errors;
using IdentityBroker.UserPools.Mfa;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.HostedUi;

/// <summary>
/// The hosted UI's sign-in: the same domain steps as InitiateAuth and RespondToAuthChallenge (password proof and lockout,
/// <see cref="SignInSteps"/>, NEW_PASSWORD_REQUIRED, the MFA challenges and MFA_SETUP), with two differences Cognito's
/// hosted UI has too: it is the pool's own front end, so the client's ExplicitAuthFlows and SECRET_HASH are not asked for;
/// and the end is <see cref="SignInOutcome.Authenticated"/> (<see cref="SignInContext.Hosted"/>), after which the page
/// starts the browser session and completes the authorization request, instead of tokens.
/// </summary>
public sealed class HostedSignIn(
    PasswordSignIn password, SignInSessions sessions, UserWrites writes, NewPasswordChallenge newPassword, MfaChallengeAnswers mfa,
    MfaSetupSessions setup, SignInSteps steps, Triggers.LifecycleTriggers triggers)
{
    public Task<Result<SignInOutcome>> SignInAsync(UserPool pool, UserPoolClient client, string username, string clearPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        return password.SignInAsync(pool, client, username, clearPassword, hosted: true, cancellationToken);
    }

    /// <summary>
    /// The sign-in that follows the hosted confirmation page (<see cref="SignUpTickets"/>): the user whose sign-up this
    /// browser made, now confirmed, goes through the steps after a proven password (PreAuthentication, the status, the MFA
    /// challenges) exactly as a sign-in with the password would. Null when the ticket's user is not the one confirmed.
    /// </summary>
    public async Task<Result<SignInOutcome>?> SignInConfirmedAsync(UserPool pool, UserPoolClient client, string ticketSub, string username,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        var (_, user) = await writes.FindAsync(pool.Id, username, cancellationToken).ConfigureAwait(false);
        if (!user.IsSuccess || user.Value.Sub != ticketSub)
        {
            return null;
        }

        if (await triggers.PreAuthenticationAsync(pool, client.ClientId, user.Value, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        return await steps.PasswordVerifiedAsync(new SignInContext(pool, client, user.Value) { Hosted = true }, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The answer to <paramref name="challenge"/> (NEW_PASSWORD_REQUIRED or an MFA challenge) with the Session the page carried.</summary>
    public async Task<Result<SignInOutcome>> RespondAsync(
        UserPool pool, UserPoolClient client, string challenge, string? session, IReadOnlyDictionary<string, string> responses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        if (challenge != ChallengeNames.NewPasswordRequired && !MfaChallengeNames.IsMfa(challenge))
        {
            return SignInErrors.ChallengeNotSupported(challenge);
        }

        var opened = await sessions.OpenAsync(session, client.ClientId, challenge, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess || opened.Value.UserPoolId != pool.Id || opened.Value.IsUnknownUser)
        {
            return SignInErrors.InvalidSession;
        }

        var (_, user) = await writes.FindAsync(pool.Id, opened.Value.Sub, cancellationToken).ConfigureAwait(false);
        if (!user.IsSuccess || user.Value.Sub != opened.Value.Sub)
        {
            return SignInErrors.InvalidSession;
        }

        var context = new SignInContext(pool, client, user.Value) { Hosted = true };
        return MfaChallengeNames.IsMfa(challenge)
            ? await mfa.RespondAsync(context, opened.Value, responses, cancellationToken).ConfigureAwait(false)
            : await newPassword.RespondAsync(context, opened.Value, responses, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>MFA_SETUP, first step: a new TOTP secret for the user (AssociateSoftwareToken with the Session).</summary>
    public Task<Result<(string SecretCode, string Session)>> AssociateTotpAsync(string? session, CancellationToken cancellationToken) =>
        setup.AssociateAsync(session, cancellationToken);

    /// <summary>MFA_SETUP, second step: the first code verifies the secret (VerifySoftwareToken), then the challenge is answered.</summary>
    public async Task<Result<SignInOutcome>> VerifyTotpAsync(UserPool pool, UserPoolClient client, string? session, string code, CancellationToken cancellationToken)
    {
        var verified = await setup.VerifyAsync(session, code, null, cancellationToken).ConfigureAwait(false);
        return verified.IsSuccess
            ? await RespondAsync(pool, client, MfaChallengeNames.MfaSetup, verified.Value, new Dictionary<string, string>(StringComparer.Ordinal), cancellationToken)
                .ConfigureAwait(false)
            : verified.Error!;
    }
}
