using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Groups;

/// <summary>
/// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser and ListUsersInGroup, and the group claims of
/// a user for the token layer. A membership is keyed by the user's <see cref="PoolUser.Sub"/>, which never changes, so
/// it survives a change of username or alias and is not inherited by a later user of the same name.
/// Checks run pool, group, user: an unknown pool names the pool, then "Group not found.", then "User does not exist.".
/// </summary>
public sealed class GroupMembershipOperations(IUserPoolStore pools, IUserPoolGroupStore groups, IUserStore users, UserLookup lookup)
{
    public async Task<Result<Unit>> AddAsync(AdminAddUserToGroup command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var found = await FindAsync(command.UserPoolId, command.GroupName, command.Username, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        return await groups.AddMemberAsync(command.UserPoolId, command.GroupName, found.Value.Sub, cancellationToken).ConfigureAwait(false)
            ? Unit.Value
            : GroupErrors.GroupNotFound;
    }

    public async Task<Result<Unit>> RemoveAsync(AdminRemoveUserFromGroup command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var found = await FindAsync(command.UserPoolId, command.GroupName, command.Username, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        return await groups.RemoveMemberAsync(command.UserPoolId, command.GroupName, found.Value.Sub, cancellationToken).ConfigureAwait(false)
            ? Unit.Value
            : GroupErrors.GroupNotFound;
    }

    public async Task<Result<Page<UserPoolGroup>>> ListGroupsForUserAsync(AdminListGroupsForUser command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        if (await FindUserAsync(pool, command.Username, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return UserErrors.UserNotFound;
        }

        return await Paging.ReadAsync(() => groups.ListGroupsOfMemberAsync(pool.Id, user.Sub, command.Limit, command.NextToken, cancellationToken))
            .ConfigureAwait(false);
    }

    /// <summary>The members still stored as users (a membership outliving an interrupted user delete is not shown).</summary>
    public async Task<Result<Page<PoolUser>>> ListUsersInGroupAsync(ListUsersInGroup command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await GroupErrorAsync(command.UserPoolId, command.GroupName, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        var page = await Paging.ReadAsync(() => groups.ListMembersAsync(command.UserPoolId, command.GroupName, command.Limit, command.NextToken,
            cancellationToken)).ConfigureAwait(false);
        if (!page.IsSuccess)
        {
            return page.Error!;
        }

        var members = new List<PoolUser>(page.Value.Items.Count);
        foreach (var sub in page.Value.Items)
        {
            if (await users.GetUserAsync(command.UserPoolId, sub, cancellationToken).ConfigureAwait(false) is { } user)
            {
                members.Add(user);
            }
        }

        return new Page<PoolUser>(members, page.Value.NextToken);
    }

    /// <summary>
    /// The group claims of a user's tokens (<see cref="GroupRoles.For"/> over all the user's groups, in membership order).
    /// For the token layer, which has the user already.
    /// </summary>
    public async Task<GroupClaims> ClaimsAsync(PoolUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var all = new List<UserPoolGroup>();
        string? next = null;
        do
        {
            var page = await groups.ListGroupsOfMemberAsync(user.UserPoolId, user.Sub, 60, next, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            next = page.NextToken;
        }
        while (next is not null);

        return GroupRoles.For(all);
    }

    private async Task<Result<PoolUser>> FindAsync(string userPoolId, string groupName, string username, CancellationToken cancellationToken)
    {
        if (await GroupErrorAsync(userPoolId, groupName, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        var pool = await pools.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false);
        return pool is not null && await FindUserAsync(pool, username, cancellationToken).ConfigureAwait(false) is { } user
            ? user
            : UserErrors.UserNotFound;
    }

    private async Task<AwsError?> GroupErrorAsync(string userPoolId, string groupName, CancellationToken cancellationToken)
    {
        if (await pools.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UserPoolErrors.UserPoolNotFound(userPoolId);
        }

        return await groups.GetGroupAsync(userPoolId, groupName, cancellationToken).ConfigureAwait(false) is null ? GroupErrors.GroupNotFound : null;
    }

    /// <summary>The user a name given to an admin operation names (<see cref="UserLookup"/>: username, sign-in attribute or sub).</summary>
    private Task<PoolUser?> FindUserAsync(UserPools.Pools.UserPool pool, string name, CancellationToken cancellationToken) =>
        lookup.FindAsync(pool, name, cancellationToken);
}
