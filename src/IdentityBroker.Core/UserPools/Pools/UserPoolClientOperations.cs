using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.UserPools.Pools;

/// <summary>CreateUserPoolClient, DescribeUserPoolClient, ListUserPoolClients, UpdateUserPoolClient, DeleteUserPoolClient.</summary>
public sealed class UserPoolClientOperations(IUserPoolStore store, ClientReferences references, TimeProvider time)
{
    public async Task<Result<UserPoolClient>> CreateAsync(CreateUserPoolClient command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await store.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        if (await references.CheckAsync(command.UserPoolId, command.Settings, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        var now = time.GetUtcNow();
        var client = new UserPoolClient(command.UserPoolId, UserPoolClientIds.NewClientId(),
            command.GenerateSecret ? UserPoolClientIds.NewSecret() : null, command.Settings, now, now);
        // False only when the pool was deleted meanwhile (36^26 ids do not collide in practice).
        return await store.TryCreateClientAsync(client, cancellationToken).ConfigureAwait(false)
            ? client
            : UserPoolErrors.UserPoolNotFound(command.UserPoolId);
    }

    public async Task<Result<UserPoolClient>> DescribeAsync(DescribeUserPoolClient command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var client = await store.GetClientAsync(command.UserPoolId, command.ClientId, cancellationToken).ConfigureAwait(false);
        return client is null ? await NotFoundAsync(command.UserPoolId, command.ClientId, cancellationToken).ConfigureAwait(false) : client;
    }

    public async Task<Result<Page<UserPoolClient>>> ListAsync(ListUserPoolClients command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await store.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        return await Paging.ReadAsync(() => store.ListClientsAsync(command.UserPoolId, command.MaxResults, command.NextToken, cancellationToken))
            .ConfigureAwait(false);
    }

    public async Task<Result<UserPoolClient>> UpdateAsync(UpdateUserPoolClient command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var current = await store.GetClientAsync(command.UserPoolId, command.ClientId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return await NotFoundAsync(command.UserPoolId, command.ClientId, cancellationToken).ConfigureAwait(false);
        }

        if (await references.CheckAsync(command.UserPoolId, command.Settings, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        var updated = current with
        {
            Settings = command.Settings with { ClientName = command.ClientName ?? current.Settings.ClientName },
            LastModifiedDate = time.GetUtcNow(),
        };
        return await store.UpdateClientAsync(updated, cancellationToken).ConfigureAwait(false)
            ? updated
            : await NotFoundAsync(command.UserPoolId, command.ClientId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<Unit>> DeleteAsync(DeleteUserPoolClient command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return await store.DeleteClientAsync(command.UserPoolId, command.ClientId, cancellationToken).ConfigureAwait(false)
            ? Unit.Value
            : await NotFoundAsync(command.UserPoolId, command.ClientId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cognito names the pool when the pool is missing, else the client.</summary>
    private async Task<AwsError> NotFoundAsync(string userPoolId, string clientId, CancellationToken cancellationToken) =>
        await store.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false) is null
            ? UserPoolErrors.UserPoolNotFound(userPoolId)
            : UserPoolErrors.ClientNotFound(clientId);
}
