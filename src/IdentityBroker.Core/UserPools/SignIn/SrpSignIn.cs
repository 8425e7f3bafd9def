using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Srp;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// USER_SRP_AUTH (docs/user-pools.md, "SRP"): <see cref="StartAsync"/> answers SRP_A with the PASSWORD_VERIFIER challenge
/// and seals the server's half into the Session; <see cref="VerifyAsync"/> checks the client's proof against it, once.
/// </summary>
public sealed class SrpSignIn(
    UserLookup lookup, IUserStore users, SignInSessions sessions, SignInAttempts attempts, UnknownUsers unknown, SignInSteps steps, TimeProvider time,
    Triggers.LifecycleTriggers triggers)
{
    /// <param name="inputs">InitiateAuth's ClientMetadata, the pre authentication trigger's validation data.</param>
    public async Task<Result<SignInOutcome>> StartAsync(UserPool pool, UserPoolClient client, string username, string? srpA, CancellationToken cancellationToken,
        Triggers.TriggerInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        var user = await lookup.FindAsync(pool, username, cancellationToken).ConfigureAwait(false);
        if (user is null && !SignInRules.HidesUnknownUsers(client))
        {
            return UserErrors.UserNotFound;
        }

        var userId = user?.Username ?? await unknown.UserIdAsync(pool, username, cancellationToken).ConfigureAwait(false);
        var lockedOut = user is not null
            ? SignInLockout.IsLockedOut(user.Failures, time.GetUtcNow())
            : unknown.IsLockedOut(await unknown.FindAsync(pool, userId, cancellationToken).ConfigureAwait(false));
        if (lockedOut)
        {
            return SignInErrors.PasswordAttemptsExceeded;
        }

        var refused = user is not null
            ? await triggers.PreAuthenticationAsync(pool, client.ClientId, user, cancellationToken, inputs).ConfigureAwait(false)
            : await triggers.PreAuthenticationUnknownAsync(pool, client.ClientId, username, cancellationToken, inputs).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        return await ChallengeAsync(pool, client, user, userId, srpA, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The PASSWORD_VERIFIER challenge for <paramref name="srpA"/>: the user's verifier (or, for a name that matches no
    /// user, one no password opens), the server's half sealed into a Session that also carries <paramref name="data"/>
    /// (CUSTOM_AUTH keeps its history there).
    /// </summary>
    public async Task<Result<SignInOutcome>> ChallengeAsync(UserPool pool, UserPoolClient client, PoolUser? user, string userId, string? srpA,
        IReadOnlyDictionary<string, string>? data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        var verifier = user is null
            ? await unknown.VerifierAsync(pool.Id, userId, cancellationToken).ConfigureAwait(false)
            : await unknown.VerifierOfAsync(user, cancellationToken).ConfigureAwait(false);
        var started = SrpServer.Start(verifier, srpA);
        if (!started.IsSuccess)
        {
            return started.Error!;
        }

        var challenge = started.Value;
        var session = sessions.New(client, user?.Sub ?? "", userId, ChallengeNames.PasswordVerifier) with
        {
            SrpKey = Convert.ToBase64String(challenge.SessionKey),
            SecretBlock = challenge.SecretBlock,
            SrpB = challenge.SrpB,
            Data = data,
        };
        await sessions.MarkAsync(session, cancellationToken).ConfigureAwait(false);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SALT"] = challenge.Salt,
            ["SRP_B"] = challenge.SrpB,
            ["SECRET_BLOCK"] = challenge.SecretBlock,
            [SignInParameters.UserIdForSrp] = userId,
            [SignInParameters.Username] = userId,
        };
        return SignInOutcome.Challenge(ChallengeNames.PasswordVerifier, parameters,
            await sessions.SealAsync(session, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The PASSWORD_VERIFIER answer for an opened <paramref name="session"/>: the session is used up first (a replayed
    /// answer finds it gone), then the proof is checked (<see cref="SrpServer.VerifyClaim"/>) and the outcome recorded.
    /// </summary>
    public async Task<Result<SignInOutcome>> VerifyAsync(
        UserPool pool, UserPoolClient client, SignInSession session, PasswordClaim claim, CancellationToken cancellationToken,
        Triggers.TriggerInputs? inputs = null)
    {
        var proof = await CheckProofAsync(pool, session, claim, cancellationToken).ConfigureAwait(false);
        if (!proof.IsSuccess)
        {
            return proof.Error!;
        }

        return proof.Value is { Correct: true, User: { } user }
            ? await steps.PasswordVerifiedAsync(new SignInContext(pool, client, user) { Inputs = inputs ?? Triggers.TriggerInputs.None }, null, cancellationToken)
                .ConfigureAwait(false)
            : UserPoolErrors.IncorrectUsernameOrPassword;
    }

    /// <summary>
    /// The proof of a PASSWORD_VERIFIER answer: the session is used up first (a replayed answer finds it gone), a locked
    /// out user or name is refused, then the proof is checked (<see cref="SrpServer.VerifyClaim"/>) and recorded: a wrong
    /// one counts as a wrong password. The verdict is the caller's: USER_SRP_AUTH refuses a wrong proof, CUSTOM_AUTH puts it
    /// in the history DefineAuthChallenge reads. <c>User</c> is null for a name that matches no user (never correct).
    /// </summary>
    public async Task<Result<SrpProof>> CheckProofAsync(UserPool pool, SignInSession session, PasswordClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(session);
        if (!await sessions.UseOnceAsync(session, cancellationToken).ConfigureAwait(false))
        {
            return SignInErrors.InvalidSession;
        }

        var issued = new SrpChallenge(session.SrpB ?? "", "", session.SecretBlock ?? "", Convert.FromBase64String(session.SrpKey ?? ""));
        var proof = SrpServer.VerifyClaim(issued, UserPasswords.PoolName(pool.Id), session.Username, claim, time);
        if (session.IsUnknownUser)
        {
            if (await UnknownFailedAsync(pool, session.Username, cancellationToken).ConfigureAwait(false) is { } lockedOut)
            {
                return lockedOut;
            }

            return new SrpProof(null, false);
        }

        var user = await users.GetUserAsync(pool.Id, session.Sub, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return UserPoolErrors.IncorrectUsernameOrPassword;
        }

        if (SignInLockout.IsLockedOut(user.Failures, time.GetUtcNow()))
        {
            return SignInErrors.PasswordAttemptsExceeded;
        }

        if (!proof.IsSuccess || user.Password is null)
        {
            await attempts.FailedAsync(user, cancellationToken).ConfigureAwait(false);
            return new SrpProof(user, false);
        }

        var recorded = await attempts.SucceededAsync(user, null, cancellationToken).ConfigureAwait(false);
        return recorded.IsSuccess ? new SrpProof(recorded.Value, true) : recorded.Error!;
    }

    /// <summary>The proof for a name that matches no user fails as a wrong password does: lockout, then one failure write.</summary>
    private async Task<AwsError?> UnknownFailedAsync(UserPool pool, string userId, CancellationToken cancellationToken)
    {
        var name = await unknown.FindAsync(pool, userId, cancellationToken).ConfigureAwait(false);
        if (unknown.IsLockedOut(name))
        {
            return SignInErrors.PasswordAttemptsExceeded;
        }

        await unknown.FailedAsync(name, cancellationToken).ConfigureAwait(false);
        return null;
    }
}

/// <summary>A checked PASSWORD_VERIFIER answer: the user (null for a name that matches no user) and whether the proof held.</summary>
public sealed record SrpProof(PoolUser? User, bool Correct);
