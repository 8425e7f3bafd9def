using IdentityBroker.Errors;
using IdentityBroker.UserPools.Codes;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Risk;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SelfService;

/// <summary>
/// SignUp, ConfirmSignUp and ResendConfirmationCode (unsigned). Stages: client and SECRET_HASH → user → password (policy,
/// compromised) → store → code.
/// </summary>
public sealed class SignUpOperations(
    PublicClients clients, UserOperations users, UserPasswords passwords, UserWrites writes, UserLookup lookup,
    CompromisedPasswordGate compromised, VerificationCodes codes, Triggers.LifecycleTriggers triggers)
{
    /// <summary>AllowAdminCreateUserOnly: NotAuthorizedException with the wording Cognito answers (quoted in project READMEs and troubleshooting guides of Cognito apps).</summary>
    public static AwsError SignUpNotPermitted { get; } = new("NotAuthorizedException", "SignUp is not permitted for this user pool");

    /// <summary>ResendConfirmationCode for a confirmed user.</summary>
    public static AwsError AlreadyConfirmed { get; } = UserPoolErrors.InvalidParameter("User is already confirmed.");

    public async Task<Result<SignUpResult>> SignUpAsync(SignUp command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var opened = await clients.OpenAsync(command.Client, command.Username, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            return opened.Error!;
        }

        var (pool, client) = opened.Value;
        if (pool.Settings.AllowAdminCreateUserOnly)
        {
            return SignUpNotPermitted;
        }

        var created = users.NewUser(pool, command.Username, command.Attributes, UserStatuses.Unconfirmed);
        var withPassword = created.IsSuccess ? passwords.Set(pool, created.Value, command.Password, temporary: false) : created;
        if (!withPassword.IsSuccess)
        {
            return withPassword.Error!;
        }

        if (await compromised.CheckAsync(pool, client.ClientId, command.Password, RiskEvents.SignUp, cancellationToken).ConfigureAwait(false) is { } blocked)
        {
            return blocked;
        }

        var decision = await triggers.PreSignUpAsync(pool, client.ClientId, withPassword.Value, Triggers.LifecycleTriggers.PreSignUpSignUp, cancellationToken,
            command.Inputs)
            .ConfigureAwait(false);
        if (!decision.IsSuccess)
        {
            return decision.Error!;
        }

        var stored = await writes.CreateAsync(pool, Triggers.AutoConfirmation.Apply(withPassword.Value, decision.Value), forceAlias: false, cancellationToken)
            .ConfigureAwait(false);
        if (!stored.IsSuccess)
        {
            return stored.Error!;
        }

        var user = stored.Value;
        if (decision.Value.AutoConfirmUser)
        {
            // PreSignUp confirmed the user: no code is sent (Cognito developer guide, pre sign-up trigger, autoConfirmUser).
            return new SignUpResult(user.Sub, null) { Confirmed = true };
        }

        if (VerificationCodes.SignUpTarget(pool, user) is not { } target)
        {
            return new SignUpResult(user.Sub, null);
        }

        // As Cognito, the user exists even when the code could not be handed over (CodeDeliveryFailureException).
        var sent = await codes.SendAsync(pool, user, CodePurpose.SignUpConfirmation, target, cancellationToken, inputs: command.Inputs).ConfigureAwait(false);
        return sent.IsSuccess ? new SignUpResult(user.Sub, sent.Value) : sent.Error!;
    }

    /// <summary>
    /// UNCONFIRMED → CONFIRMED with the code; the attribute the code went to becomes verified, which claims it as a sign-in
    /// alias. A verified alias another user holds is AliasExistsException unless ForceAliasCreation moves it here.
    /// </summary>
    public async Task<Result<Unit>> ConfirmSignUpAsync(ConfirmSignUp command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var found = await clients.FindUserAsync(command.Client, command.Username, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (pool, client, user) = found.Value;
        if (user is null)
        {
            // PreventUserExistenceErrors: an unknown user is answered as a wrong code would be.
            return CodeErrors.Mismatch;
        }

        if (user.UserStatus != UserStatuses.Unconfirmed)
        {
            return UserErrors.NotUnconfirmed(user.UserStatus);
        }

        if (await codes.CheckAsync(user, CodePurpose.SignUpConfirmation, null, command.Code, cancellationToken).ConfigureAwait(false) is { } wrong)
        {
            return wrong;
        }

        var target = VerificationCodes.SignUpTarget(pool, user);
        var confirmed = await ConfirmAsync(pool, user.Sub, target, cancellationToken).ConfigureAwait(false);
        if (!confirmed.IsSuccess && command.ForceAliasCreation && target is not null && confirmed.Error!.Type == "AliasExistsException")
        {
            if (await AliasMoves.ReleaseAsync(writes, lookup, pool, user, target, cancellationToken).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }

            confirmed = await ConfirmAsync(pool, user.Sub, target, cancellationToken).ConfigureAwait(false);
        }

        if (!confirmed.IsSuccess)
        {
            return confirmed.Error!;
        }

        return await triggers.PostConfirmationAsync(pool, client.ClientId, confirmed.Value, Triggers.LifecycleTriggers.PostConfirmationConfirmSignUp,
            cancellationToken, command.Inputs).ConfigureAwait(false) is { } refused ? refused : Unit.Value;
    }

    public async Task<Result<CodeDeliveryDetails>> ResendConfirmationCodeAsync(UserCall command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var found = await clients.FindUserAsync(command.Client, command.Username, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (pool, _, user) = found.Value;
        if (user is null)
        {
            return AliasMoves.PlausibleDelivery(command.Username);
        }

        if (user.UserStatus != UserStatuses.Unconfirmed)
        {
            return AlreadyConfirmed;
        }

        // A pool that auto-verifies nothing still confirms by code when asked to resend: the email first, else the phone.
        var target = VerificationCodes.SignUpTarget(pool, user)
            ?? new[] { StandardAttributes.Email, StandardAttributes.PhoneNumber }.FirstOrDefault(a => user.Attribute(a) is not null);
        return target is null
            ? UserPoolErrors.InvalidParameter("Cannot send a confirmation code: the user has no email or phone_number.")
            : await codes.SendAsync(pool, user, CodePurpose.SignUpConfirmation, target, cancellationToken, Triggers.CodeMessageTrigger.ResendCode,
                command.Inputs)
                .ConfigureAwait(false);
    }

    private Task<Result<PoolUser>> ConfirmAsync(UserPool pool, string sub, string? verified, CancellationToken cancellationToken) =>
        writes.ChangeAsync(pool.Id, sub, (_, current) =>
        {
            if (current.UserStatus != UserStatuses.Unconfirmed)
            {
                return UserErrors.NotUnconfirmed(current.UserStatus);
            }

            return AliasMoves.MarkVerified(current with { UserStatus = UserStatuses.Confirmed }, verified);
        }, cancellationToken);
}
