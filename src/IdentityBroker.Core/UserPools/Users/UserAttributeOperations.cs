using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Users;

/// <summary>AdminUpdateUserAttributes and AdminDeleteUserAttributes.</summary>
public sealed class UserAttributeOperations(UserWrites writes)
{
    private static readonly (string Attribute, string Flag)[] Verifiable =
    [
        (StandardAttributes.Email, StandardAttributes.EmailVerified),
        (StandardAttributes.PhoneNumber, StandardAttributes.PhoneNumberVerified),
    ];

    /// <summary>
    /// Sets the attributes. A changed email or phone number is unverified again unless the request marks it verified
    /// (the API reference: the admin call may set email_verified / phone_number_verified itself).
    /// </summary>
    public async Task<Result<Unit>> UpdateAsync(AdminUpdateUserAttributes command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in command.Attributes)
        {
            given[attribute.Name] = attribute.Value;
        }

        if (UserAttributeRules.CheckValues(given) is { } invalid)
        {
            return invalid;
        }

        var changed = await writes.ChangeAsync(command.UserPoolId, command.Username, (pool, user) =>
        {
            if (UserAttributeRules.Unknown(pool, given.Keys) is { Count: > 0 } unknown)
            {
                return UserErrors.NotInSchema(unknown);
            }

            if (SchemaConstraints.AtUpdate(pool, given) is { } refused)
            {
                return refused;
            }

            var attributes = new Dictionary<string, string>(user.Attributes, StringComparer.Ordinal);
            foreach (var (name, value) in given)
            {
                attributes[name] = value;
            }

            foreach (var (attribute, flag) in Verifiable)
            {
                if (given.TryGetValue(attribute, out var value) && value != user.Attribute(attribute) && !given.ContainsKey(flag))
                {
                    attributes[flag] = "false";
                }
            }

            return user with { Attributes = attributes };
        }, cancellationToken).ConfigureAwait(false);
        return changed.IsSuccess ? Unit.Value : changed.Error!;
    }

    /// <summary>Removes the attributes; removing an email or phone number removes its verified flag with it.</summary>
    public async Task<Result<Unit>> DeleteAsync(AdminDeleteUserAttributes command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Names.Contains(StandardAttributes.Sub))
        {
            return UserErrors.SubIsReadOnly;
        }

        var changed = await writes.ChangeAsync(command.UserPoolId, command.Username, (pool, user) =>
        {
            if (UserAttributeRules.Unknown(pool, command.Names) is { Count: > 0 } unknown)
            {
                return UserErrors.NotInSchema(unknown);
            }

            var attributes = new Dictionary<string, string>(user.Attributes, StringComparer.Ordinal);
            foreach (var name in command.Names)
            {
                attributes.Remove(name);
                if (Verifiable.FirstOrDefault(v => v.Attribute == name) is { Flag: { } flag })
                {
                    attributes.Remove(flag);
                }
            }

            return user with { Attributes = attributes };
        }, cancellationToken).ConfigureAwait(false);
        return changed.IsSuccess ? Unit.Value : changed.Error!;
    }
}
