using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Messages;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Users;

/// <summary>
/// The administrative user operations: AdminCreateUser, AdminGetUser, ListUsers, AdminDeleteUser, AdminEnableUser,
/// AdminDisableUser, AdminSetUserPassword, AdminConfirmSignUp. Attribute changes are <see cref="UserAttributeOperations"/>.
/// </summary>
public sealed class UserOperations(
    IUserPoolStore pools, IUserStore store, UserWrites writes, UserPasswords passwords, IUserPoolMessageSender messages, TimeProvider time,
    Triggers.LifecycleTriggers triggers, Triggers.MessageTriggers messageTriggers)
{
    private const string DefaultMedium = "SMS";

    public async Task<Result<PoolUser>> CreateAsync(AdminCreateUser command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is not { } pool)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        if (command.MessageAction == AdminCreateUser.Resend)
        {
            return await ResendAsync(pool, command, cancellationToken).ConfigureAwait(false);
        }

        var created = NewUser(pool, command.Username, command.Attributes, UserStatuses.ForceChangePassword);
        if (!created.IsSuccess)
        {
            return created;
        }

        var password = command.TemporaryPassword ?? TemporaryPasswords.Generate(pool.Settings.PasswordPolicy);
        var withPassword = passwords.Set(pool, created.Value, password, temporary: true);
        if (!withPassword.IsSuccess)
        {
            return withPassword;
        }

        // PreSignUp_AdminCreateUser: the function may refuse or auto-verify; the user still sets a password (FORCE_CHANGE_PASSWORD).
        var decision = await triggers.PreSignUpAsync(pool, null, withPassword.Value, Triggers.LifecycleTriggers.PreSignUpAdminCreateUser, cancellationToken,
            command.Inputs)
            .ConfigureAwait(false);
        if (!decision.IsSuccess)
        {
            return decision.Error!;
        }

        var stored = await writes.CreateAsync(pool, Triggers.AutoConfirmation.Apply(withPassword.Value, decision.Value), command.ForceAliasCreation,
            cancellationToken).ConfigureAwait(false);
        if (!stored.IsSuccess || command.MessageAction == AdminCreateUser.Suppress)
        {
            return stored;
        }

        // As Cognito, a delivery failure is answered after the user is created (CodeDeliveryFailureException).
        var sent = await InviteAsync(pool, stored.Value, command, password, cancellationToken).ConfigureAwait(false);
        return sent is null ? stored : sent;
    }

    public async Task<Result<PoolUser>> GetAsync(UserReference command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (_, found) = await writes.FindAsync(command.UserPoolId, command.Username, cancellationToken).ConfigureAwait(false);
        return found;
    }

    public async Task<Result<UserListing>> ListAsync(ListUsers command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        var filter = UserFilter.Parse(command.Filter);
        if (!filter.IsSuccess)
        {
            return filter.Error!;
        }

        try
        {
            Func<PoolUser, bool>? where = filter.Value is { } f ? f.Matches : null;
            var page = await store.ListUsersAsync(command.UserPoolId, command.Limit, command.PaginationToken, where, cancellationToken)
                .ConfigureAwait(false);
            return new UserListing(page.Items, page.NextToken, command.AttributesToGet);
        }
        catch (InvalidNextTokenException)
        {
            return UserPoolErrors.InvalidParameter("The PaginationToken is invalid.");
        }
    }

    public async Task<Result<Unit>> DeleteAsync(UserReference command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (_, found) = await writes.FindAsync(command.UserPoolId, command.Username, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        return await store.DeleteUserAsync(command.UserPoolId, found.Value.Sub, cancellationToken).ConfigureAwait(false)
            ? Unit.Value
            : UserErrors.UserNotFound;
    }

    public Task<Result<Unit>> EnableAsync(UserReference command, CancellationToken cancellationToken) =>
        SetEnabledAsync(command, enabled: true, cancellationToken);

    public Task<Result<Unit>> DisableAsync(UserReference command, CancellationToken cancellationToken) =>
        SetEnabledAsync(command, enabled: false, cancellationToken);

    /// <summary>Permanent: CONFIRMED; otherwise a temporary password and FORCE_CHANGE_PASSWORD (the API reference).</summary>
    public async Task<Result<Unit>> SetPasswordAsync(AdminSetUserPassword command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var changed = await writes.ChangeAsync(command.UserPoolId, command.Username, (pool, user) =>
        {
            var set = passwords.Set(pool, user, command.Password, temporary: !command.Permanent);
            return set.IsSuccess
                ? set.Value with { UserStatus = command.Permanent ? UserStatuses.Confirmed : UserStatuses.ForceChangePassword }
                : set;
        }, cancellationToken).ConfigureAwait(false);
        return changed.IsSuccess ? Unit.Value : changed.Error!;
    }

    /// <summary>Confirms an UNCONFIRMED user, as a sign-up confirmed by code would (no code is asked).</summary>
    public async Task<Result<Unit>> ConfirmSignUpAsync(UserReference command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var changed = await writes.ChangeAsync(command.UserPoolId, command.Username, (_, user) =>
            user.UserStatus == UserStatuses.Unconfirmed
                ? user with { UserStatus = UserStatuses.Confirmed }
                : UserErrors.NotUnconfirmed(user.UserStatus), cancellationToken).ConfigureAwait(false);
        return changed.IsSuccess ? Unit.Value : changed.Error!;
    }

    private async Task<Result<Unit>> SetEnabledAsync(UserReference command, bool enabled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var changed = await writes.ChangeAsync(command.UserPoolId, command.Username, (_, user) => user with { Enabled = enabled },
            cancellationToken).ConfigureAwait(false);
        return changed.IsSuccess ? Unit.Value : changed.Error!;
    }

    /// <summary>
    /// The new user as AdminCreateUser or SignUp describes it. With UsernameAttributes the username must be an email or phone number:
    /// it becomes that attribute and the user's name is its sub (Cognito returns the sub as Username in such pools).
    /// </summary>
    internal Result<PoolUser> NewUser(UserPool pool, string username, IReadOnlyList<UserAttribute> given, string status)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in given)
        {
            attributes[attribute.Name] = attribute.Value;
        }

        if (UserAttributeRules.Unknown(pool, attributes.Keys) is { Count: > 0 } unknown)
        {
            return UserErrors.NotInSchemaAtCreation(unknown);
        }

        var sub = Guid.NewGuid().ToString();
        if (pool.UsernameAttributes is { Count: > 0 } signInBy)
        {
            var attribute = SignInAttribute(signInBy, username);
            if (attribute is null)
            {
                return UserErrors.UsernameNotEmailOrPhone;
            }

            attributes[attribute] = username;
            username = sub;
        }
        else if (AliasFormatError(pool, username) is { } aliasShaped)
        {
            return aliasShaped;
        }

        if (UserAttributeRules.CheckValues(attributes) is { } invalid)
        {
            return invalid;
        }

        if (SchemaConstraints.AtCreation(pool, attributes) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        return new PoolUser
        {
            UserPoolId = pool.Id,
            Username = username,
            Sub = sub,
            UserStatus = status,
            Attributes = attributes,
            CreationDate = now,
            LastModifiedDate = now,
        };
    }

    private static string? SignInAttribute(IReadOnlyList<string> usernameAttributes, string username) =>
        usernameAttributes.Contains(StandardAttributes.Email) && UserAttributeRules.LooksLikeEmail(username) ? StandardAttributes.Email
        : usernameAttributes.Contains(StandardAttributes.PhoneNumber) && UserAttributeRules.LooksLikePhoneNumber(username) ? StandardAttributes.PhoneNumber
        : null;

    /// <summary>With an email or phone alias, a username of that format could shadow another user's alias.</summary>
    private static AwsError? AliasFormatError(UserPool pool, string username)
    {
        var aliases = pool.AliasAttributes ?? [];
        if (aliases.Contains(StandardAttributes.Email) && UserAttributeRules.LooksLikeEmail(username))
        {
            return UserErrors.UsernameOfAliasFormat("email", "email");
        }

        return aliases.Contains(StandardAttributes.PhoneNumber) && UserAttributeRules.LooksLikePhoneNumber(username)
            ? UserErrors.UsernameOfAliasFormat("phone number", "phone number")
            : null;
    }

    /// <summary>RESEND: a new temporary password for a user still in FORCE_CHANGE_PASSWORD, and the invitation again.</summary>
    private async Task<Result<PoolUser>> ResendAsync(UserPool pool, AdminCreateUser command, CancellationToken cancellationToken)
    {
        var password = command.TemporaryPassword ?? TemporaryPasswords.Generate(pool.Settings.PasswordPolicy);
        var changed = await writes.ChangeAsync(pool.Id, command.Username, (p, user) =>
            user.UserStatus == UserStatuses.ForceChangePassword
                ? passwords.Set(p, user, password, temporary: true)
                : UserErrors.CannotResend, cancellationToken).ConfigureAwait(false);
        if (!changed.IsSuccess)
        {
            return changed;
        }

        var sent = await InviteAsync(pool, changed.Value, command, password, cancellationToken).ConfigureAwait(false);
        return sent is null ? changed : sent;
    }

    /// <summary>
    /// The invitation through each desired medium the user has an address for (EMAIL: email, SMS: phone_number). The
    /// message names the user as the request did (the email or phone number in a pool with UsernameAttributes).
    /// </summary>
    private async Task<AwsError?> InviteAsync(UserPool pool, PoolUser user, AdminCreateUser command, string password, CancellationToken cancellationToken)
    {
        var mediums = command.DeliveryMediums.Count > 0 ? command.DeliveryMediums : [DefaultMedium];
        foreach (var medium in mediums.Distinct(StringComparer.Ordinal))
        {
            var (channel, attribute) = medium == "EMAIL"
                ? (MessageChannel.Email, StandardAttributes.Email)
                : (MessageChannel.Sms, StandardAttributes.PhoneNumber);
            if (user.Attribute(attribute) is not { } destination)
            {
                continue;
            }

            var message = UserPoolMessageComposer.Invitation(pool.Settings.Messages ?? MessageTemplates.Default, user.UserPoolId, command.Username, channel, destination, password);
            var trigger = new Triggers.CodeMessageTrigger(pool, user, Triggers.CodeMessageTrigger.AdminCreateUser) { Inputs = command.Inputs };
            var sent = await messageTriggers.SendAsync(trigger, message, password, messages, cancellationToken).ConfigureAwait(false);
            if (!sent.IsSuccess)
            {
                return sent.Error;
            }
        }

        return null;
    }
}
