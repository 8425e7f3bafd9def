using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Federation;

/// <summary>
/// AdminLinkProviderForUser and AdminDisableProviderForUser. A link is an entry of the destination user's
/// <c>identities</c> attribute, so the user store's unique keys (<see cref="FederatedIdentity.Key"/>) make one provider
/// user sign in as at most one pool user, under any concurrency.
/// </summary>
public sealed class ProviderLinkOperations(
    IUserPoolStore pools, IUserStore users, IUserPoolIdentityProviderStore providers, UserLookup lookup, UserWrites writes, TimeProvider time)
{
    public async Task<Result<Unit>> LinkAsync(AdminLinkProviderForUser command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is not { } pool)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        var destination = command.DestinationUser;
        if (destination.ProviderName != ProviderUserId.Cognito)
        {
            return FederationErrors.DestinationIsFederated;
        }

        var source = await SourceAsync(command.UserPoolId, command.SourceUser, cancellationToken).ConfigureAwait(false);
        if (!source.IsSuccess)
        {
            return source.Error!;
        }

        if (string.IsNullOrEmpty(destination.AttributeValue)
            || await lookup.FindAsync(pool, destination.AttributeValue, cancellationToken).ConfigureAwait(false) is not { } target)
        {
            return UserErrors.UserNotFound;
        }

        var identity = source.Value;
        if (await users.FindUserAsync(pool.Id, identity.Key, cancellationToken).ConfigureAwait(false) is { } holder)
        {
            return holder.Sub == target.Sub ? Unit.Value
                : holder.UserStatus == UserStatuses.ExternalProvider ? FederationErrors.SourceUserExists : FederationErrors.SourceAlreadyLinked;
        }

        var linked = await writes.ChangeAsync(pool.Id, target.Sub, (_, user) => user with
        {
            Attributes = WithIdentities(user, FederatedIdentity.Of(user).Append(identity with { DateCreated = time.GetUtcNow() })),
        }, cancellationToken).ConfigureAwait(false);
        return linked.IsSuccess ? Unit.Value : linked.Error!;
    }

    public async Task<Result<Unit>> DisableAsync(AdminDisableProviderForUser command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is not { } pool)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        if (command.User.ProviderName == ProviderUserId.Cognito)
        {
            // A pool user: "they can't use their password to sign in" (API reference); their links still sign them in.
            var native = await writes.ChangeAsync(pool.Id, command.User.AttributeValue ?? string.Empty, (_, user) => user with { Password = null },
                cancellationToken).ConfigureAwait(false);
            return native.IsSuccess ? Unit.Value : native.Error!;
        }

        var source = await SourceAsync(command.UserPoolId, command.User, cancellationToken).ConfigureAwait(false);
        if (!source.IsSuccess)
        {
            return source.Error!;
        }

        var key = source.Value.Key;
        if (await users.FindUserAsync(pool.Id, key, cancellationToken).ConfigureAwait(false) is not { } holder)
        {
            return FederationErrors.NoSuchLink;
        }

        var changed = await writes.ChangeAsync(pool.Id, holder.Sub, (_, user) => Disable(user, key), cancellationToken).ConfigureAwait(false);
        return changed.IsSuccess ? Unit.Value : changed.Error!;
    }

    /// <summary>A federated user's own identity is disabled with the user; a link is removed from the user it was linked to.</summary>
    private static PoolUser Disable(PoolUser user, string key)
    {
        var identities = FederatedIdentity.Of(user);
        var own = user.UserStatus == UserStatuses.ExternalProvider && identities.Count > 0 && identities[0].Key == key;
        return own
            ? user with { Enabled = false }
            : user with { Attributes = WithIdentities(user, identities.Where(i => i.Key != key)) };
    }

    /// <summary>The identity a SourceUser names: a provider of the pool, and its subject or a pool attribute's value.</summary>
    private async Task<Result<FederatedIdentity>> SourceAsync(string userPoolId, ProviderUserId source, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(source.ProviderName) || string.IsNullOrEmpty(source.AttributeName) || string.IsNullOrEmpty(source.AttributeValue))
        {
            return FederationErrors.MissingMember("ProviderName, ProviderAttributeName and ProviderAttributeValue");
        }

        if (await providers.GetProviderAsync(userPoolId, source.ProviderName, cancellationToken).ConfigureAwait(false) is not { } provider)
        {
            return FederationErrors.UnknownProvider(source.ProviderName);
        }

        var bySubject = source.AttributeName == FederatedIdentity.CognitoSubject;
        if (!bySubject && IdentityProviderTypes.FixedName(provider.ProviderType) is not null)
        {
            return FederationErrors.SocialNeedsSubject;
        }

        return new FederatedIdentity(source.AttributeValue, provider.ProviderName, provider.ProviderType, FederatedUsers.Issuer(provider),
            false, DateTimeOffset.UnixEpoch, bySubject ? null : source.AttributeName);
    }

    private static Dictionary<string, string> WithIdentities(PoolUser user, IEnumerable<FederatedIdentity> identities)
    {
        var attributes = new Dictionary<string, string>(user.Attributes, StringComparer.Ordinal);
        var list = identities.ToList();
        if (list.Count == 0)
        {
            attributes.Remove(FederatedIdentity.AttributeName);
        }
        else
        {
            attributes[FederatedIdentity.AttributeName] = FederatedIdentity.Serialize(list);
        }

        return attributes;
    }
}
