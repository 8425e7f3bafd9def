using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Codes;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Risk;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SelfService;

/// <summary>
/// The operations a signed-in user calls with its access token: GetUser, UpdateUserAttributes, DeleteUserAttributes,
/// GetUserAttributeVerificationCode, VerifyUserAttribute, ChangePassword, DeleteUser. The token names the user by its
/// sub, which never changes.
/// </summary>
public sealed class OwnUserOperations(
    IUserStore store, UserWrites writes, UserAttributeOperations attributes,
    UserPasswords passwords, PasswordHashes hashes, CompromisedPasswordGate compromised, VerificationCodes codes, UserPoolSessions sessions)
{
    private static readonly string[] Verifiable = [StandardAttributes.Email, StandardAttributes.PhoneNumber];

    public async Task<Result<PoolUser>> GetAsync(OwnUser command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (_, found) = await writes.FindAsync(command.UserPoolId, command.Sub, cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>
    /// Sets the attributes; the user cannot mark its own email or phone number verified. A changed email or phone number
    /// becomes unverified and a verification code is sent to it.
    /// </summary>
    public async Task<Result<IReadOnlyList<CodeDeliveryDetails>>> UpdateAttributesAsync(UpdateOwnAttributes command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Attributes.FirstOrDefault(a => a.Name is StandardAttributes.EmailVerified or StandardAttributes.PhoneNumberVerified) is { } flag)
        {
            return UserPoolErrors.InvalidParameter($"Cannot modify the non-mutable attribute {flag.Name}.");
        }

        var before = await GetAsync(command.User, cancellationToken).ConfigureAwait(false);
        if (!before.IsSuccess)
        {
            return before.Error!;
        }

        var updated = await attributes.UpdateAsync(
            new AdminUpdateUserAttributes(command.User.UserPoolId, command.User.Sub, command.Attributes), cancellationToken).ConfigureAwait(false);
        if (!updated.IsSuccess)
        {
            return updated.Error!;
        }

        var (pool, after) = await writes.FindAsync(command.User.UserPoolId, command.User.Sub, cancellationToken).ConfigureAwait(false);
        if (!after.IsSuccess)
        {
            return after.Error!;
        }

        var deliveries = new List<CodeDeliveryDetails>();
        foreach (var attribute in Verifiable.Where(a => after.Value.Attribute(a) is { } value && value != before.Value.Attribute(a)))
        {
            var sent = await codes.SendAsync(pool!, after.Value, CodePurpose.AttributeVerification, attribute, cancellationToken,
                Triggers.CodeMessageTrigger.UpdateUserAttribute).ConfigureAwait(false);
            if (!sent.IsSuccess)
            {
                return sent.Error!;
            }

            deliveries.Add(sent.Value);
        }

        return deliveries;
    }

    public Task<Result<Unit>> DeleteAttributesAsync(DeleteOwnAttributes command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return attributes.DeleteAsync(new AdminDeleteUserAttributes(command.User.UserPoolId, command.User.Sub, command.Names), cancellationToken);
    }

    public async Task<Result<CodeDeliveryDetails>> GetVerificationCodeAsync(OwnAttribute command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (pool, found) = await writes.FindAsync(command.User.UserPoolId, command.User.Sub, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        if (!Verifiable.Contains(command.AttributeName) || found.Value.Attribute(command.AttributeName) is null)
        {
            return UserPoolErrors.InvalidParameter($"Cannot send a verification code: the user has no {command.AttributeName} to verify.");
        }

        return await codes.SendAsync(pool!, found.Value, CodePurpose.AttributeVerification, command.AttributeName, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Marks the attribute verified with its code; a verified alias is then claimed (AliasExistsException when taken).</summary>
    public async Task<Result<Unit>> VerifyAttributeAsync(VerifyOwnAttribute command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (_, found) = await writes.FindAsync(command.User.UserPoolId, command.User.Sub, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        if (!Verifiable.Contains(command.AttributeName) || found.Value.Attribute(command.AttributeName) is null)
        {
            return UserPoolErrors.InvalidParameter($"The user has no {command.AttributeName} to verify.");
        }

        if (await codes.CheckAsync(found.Value, CodePurpose.AttributeVerification, command.AttributeName, command.Code, cancellationToken)
            .ConfigureAwait(false) is { } wrong)
        {
            return wrong;
        }

        var value = found.Value.Attribute(command.AttributeName);
        var changed = await writes.ChangeAsync(command.User.UserPoolId, command.User.Sub, (_, current) =>
            // The code was sent to one value; an attribute changed since then is not verified by it.
            current.Attribute(command.AttributeName) == value ? AliasMoves.MarkVerified(current, command.AttributeName) : CodeErrors.Expired,
            cancellationToken).ConfigureAwait(false);
        return changed.IsSuccess ? Unit.Value : changed.Error!;
    }

    /// <summary>The previous password must verify (NotAuthorizedException otherwise); the new one meets policy, history and the compromised check.</summary>
    public async Task<Result<Unit>> ChangePasswordAsync(ChangeOwnPassword command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (pool, found) = await writes.FindAsync(command.User.UserPoolId, command.User.Sub, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        if (found.Value.Password is not { } current || hashes.Verify(current.Hash, command.PreviousPassword) == PasswordCheck.Mismatch)
        {
            return UserPoolErrors.IncorrectUsernameOrPassword;
        }

        var trial = passwords.Set(pool!, found.Value, command.ProposedPassword, temporary: false);
        if (!trial.IsSuccess)
        {
            return trial.Error!;
        }

        if (await compromised.CheckAsync(pool!, command.User.ClientId, command.ProposedPassword, RiskEvents.PasswordChange, cancellationToken)
            .ConfigureAwait(false) is { } blocked)
        {
            return blocked;
        }

        var changed = await writes.ChangeAsync(pool!.Id, command.User.Sub, (p, user) =>
            // A concurrent change of the password since it was verified above voids this one.
            user.Password?.Hash == current.Hash ? passwords.Set(p, user, command.ProposedPassword, temporary: false) : UserPoolErrors.IncorrectUsernameOrPassword,
            cancellationToken).ConfigureAwait(false);
        return changed.IsSuccess ? Unit.Value : changed.Error!;
    }

    /// <summary>Deletes the user (freeing its username and aliases) and revokes every session it had.</summary>
    public async Task<Result<Unit>> DeleteAsync(OwnUser command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!await store.DeleteUserAsync(command.UserPoolId, command.Sub, cancellationToken).ConfigureAwait(false))
        {
            return UserErrors.UserNotFound;
        }

        await sessions.SignOutUserAsync(command.UserPoolId, command.Sub, cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
