using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.UserPools.Groups;

/// <summary>CreateGroup, GetGroup, UpdateGroup, DeleteGroup and ListGroups over the group store.</summary>
public sealed class GroupOperations(IUserPoolStore pools, IUserPoolGroupStore groups, TimeProvider time)
{
    public async Task<Result<UserPoolGroup>> CreateAsync(CreateGroup command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var now = time.GetUtcNow();
        var group = new UserPoolGroup(command.UserPoolId, command.GroupName, command.Description, command.RoleArn, command.Precedence, now, now);
        return await groups.TryCreateGroupAsync(group, cancellationToken).ConfigureAwait(false) switch
        {
            GroupCreation.Created => group,
            GroupCreation.NameTaken => GroupErrors.GroupExists,
            _ => UserPoolErrors.UserPoolNotFound(command.UserPoolId),
        };
    }

    public async Task<Result<UserPoolGroup>> GetAsync(GetGroup command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var group = await groups.GetGroupAsync(command.UserPoolId, command.GroupName, cancellationToken).ConfigureAwait(false);
        return group is null ? await NotFoundAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) : group;
    }

    public async Task<Result<UserPoolGroup>> UpdateAsync(UpdateGroup command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var current = await groups.GetGroupAsync(command.UserPoolId, command.GroupName, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return await NotFoundAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false);
        }

        var updated = current with
        {
            Description = command.Description ?? current.Description,
            RoleArn = command.RoleArn ?? current.RoleArn,
            Precedence = command.Precedence ?? current.Precedence,
            LastModifiedDate = time.GetUtcNow(),
        };
        return await groups.UpdateGroupAsync(updated, cancellationToken).ConfigureAwait(false)
            ? updated
            : await NotFoundAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<Unit>> DeleteAsync(DeleteGroup command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return await groups.DeleteGroupAsync(command.UserPoolId, command.GroupName, cancellationToken).ConfigureAwait(false)
            ? Unit.Value
            : await NotFoundAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<Page<UserPoolGroup>>> ListAsync(ListGroups command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        return await Paging.ReadAsync(() => groups.ListGroupsAsync(command.UserPoolId, command.Limit, command.NextToken, cancellationToken))
            .ConfigureAwait(false);
    }

    /// <summary>Cognito names the pool when the pool is missing, else the group.</summary>
    private async Task<AwsError> NotFoundAsync(string userPoolId, CancellationToken cancellationToken) =>
        await pools.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false) is null
            ? UserPoolErrors.UserPoolNotFound(userPoolId)
            : GroupErrors.GroupNotFound;
}
