using IdentityBroker.Errors;
using IdentityBroker.UserPools.Risk;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// The answer to NEW_PASSWORD_REQUIRED: NEW_PASSWORD and <c>userAttributes.&lt;name&gt;</c> for the required attributes
/// the user lacks (others may be set too). The password goes through <see cref="UserPasswords.Set"/> (policy and history)
/// and the user becomes CONFIRMED, in one compare-and-swap that requires FORCE_CHANGE_PASSWORD: a second answer with the
/// same Session finds the user confirmed and is refused, so the Session is used once without a mark.
/// </summary>
public sealed class NewPasswordChallenge(UserWrites writes, UserPasswords passwords, SignInSteps steps, CompromisedPasswordGate compromised)
{
    public async Task<Result<SignInOutcome>> RespondAsync(
        SignInContext context, SignInSession session, IReadOnlyDictionary<string, string> responses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(responses);
        if (!responses.TryGetValue(SignInParameters.NewPassword, out var newPassword) || string.IsNullOrEmpty(newPassword))
        {
            return SignInErrors.MissingParameter(SignInParameters.NewPassword);
        }

        var attributes = responses
            .Where(r => r.Key.StartsWith(SignInParameters.AttributePrefix, StringComparison.Ordinal))
            .ToDictionary(r => r.Key[SignInParameters.AttributePrefix.Length..], r => r.Value, StringComparer.Ordinal);
        if (UserAttributeRules.Unknown(context.Pool, attributes.Keys) is { Count: > 0 } unknownNames)
        {
            return UserErrors.NotInSchema(unknownNames);
        }

        if (attributes.ContainsKey(StandardAttributes.Sub))
        {
            return UserErrors.SubIsReadOnly;
        }

        if (UserAttributeRules.CheckValues(attributes) is { } badValue)
        {
            return badValue;
        }

        // Replacing a temporary password is a PASSWORD_CHANGE event of the compromised-credentials configuration.
        if (await compromised.CheckAsync(context.Pool, context.Client.ClientId, newPassword, RiskEvents.PasswordChange, cancellationToken)
            .ConfigureAwait(false) is { } blocked)
        {
            return blocked;
        }

        var changed = await writes.ChangeAsync(context.Pool.Id, session.Sub, (pool, user) =>
        {
            if (user.Sub != session.Sub || user.UserStatus != UserStatuses.ForceChangePassword)
            {
                return SignInErrors.InvalidSession;
            }

            var merged = new Dictionary<string, string>(user.Attributes, StringComparer.Ordinal);
            foreach (var (name, value) in attributes)
            {
                merged[name] = value;
            }

            var withAttributes = user with { Attributes = merged };
            if (SignInSteps.MissingRequired(pool, withAttributes).FirstOrDefault() is { } missing)
            {
                return SignInErrors.RequiredAttributeMissing(SignInParameters.AttributePrefix + missing);
            }

            var set = passwords.Set(pool, withAttributes, newPassword, temporary: false);
            return set.IsSuccess ? set.Value with { UserStatus = UserStatuses.Confirmed, Failures = SignInFailures.None } : set.Error!;
        }, cancellationToken).ConfigureAwait(false);
        // Tokens issued in answer to this challenge are TokenGeneration_NewPasswordChallenge's; an MFA challenge that follows
        // ends in its own answer, as any other sign-in (TokenGeneration_Authentication).
        return changed.IsSuccess
            ? await steps.NextAsync(context with { User = changed.Value, TokenSource = Triggers.TokenTriggers.NewPasswordChallenge }, cancellationToken)
                .ConfigureAwait(false)
            : changed.Error!;
    }
}
