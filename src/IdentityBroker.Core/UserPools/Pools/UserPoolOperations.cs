using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.UserPools.Pools;

/// <summary>CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool and DeleteUserPool over the user-pool store.</summary>
public sealed class UserPoolOperations(IUserPoolStore store, UserPoolIds ids, TimeProvider time)
{
    public async Task<Result<UserPool>> CreateAsync(CreateUserPool command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.UsernameAttributes is { Count: > 0 } && command.AliasAttributes is { Count: > 0 })
        {
            return UserPoolErrors.AliasAndUsernameAttributes;
        }

        var now = time.GetUtcNow();
        while (true)
        {
            var id = ids.NewId();
            var pool = new UserPool(id, command.PoolName, ids.Arn(id), command.Settings, command.UsernameAttributes,
                command.AliasAttributes, now, now)
            {
                UsernameConfiguration = command.UsernameConfiguration,
                Schema = command.Schema,
            };
            // 62^9 ids make a collision all but impossible; a taken id is drawn again rather than overwritten.
            if (await store.TryCreateUserPoolAsync(pool, cancellationToken).ConfigureAwait(false))
            {
                return pool;
            }
        }
    }

    public async Task<Result<UserPool>> DescribeAsync(DescribeUserPool command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await store.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false);
        return pool is null ? UserPoolErrors.UserPoolNotFound(command.UserPoolId) : pool;
    }

    public Task<Result<Page<UserPool>>> ListAsync(ListUserPools command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Paging.ReadAsync(() => store.ListUserPoolsAsync(command.MaxResults, command.NextToken, cancellationToken));
    }

    public async Task<Result<Unit>> UpdateAsync(UpdateUserPool command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var current = await store.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        var updated = current with
        {
            Name = command.PoolName ?? current.Name,
            Settings = command.Settings with { MfaFactors = current.Settings.MfaFactors },
            LastModifiedDate = time.GetUtcNow(),
        };
        return await store.UpdateUserPoolAsync(updated, cancellationToken).ConfigureAwait(false)
            ? Unit.Value
            : UserPoolErrors.UserPoolNotFound(command.UserPoolId);
    }

    public async Task<Result<Unit>> DeleteAsync(DeleteUserPool command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await store.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        if (pool.Settings.DeletionProtection == UserPoolSettings.DeletionProtectionActive)
        {
            return UserPoolErrors.DeletionProtected;
        }

        return await store.DeleteUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false)
            ? Unit.Value
            : UserPoolErrors.UserPoolNotFound(command.UserPoolId);
    }
}
