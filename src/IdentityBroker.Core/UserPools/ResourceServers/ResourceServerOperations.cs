using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.UserPools.ResourceServers;

public sealed record CreateResourceServer(string UserPoolId, string Identifier, string Name, IReadOnlyList<ResourceServerScope> Scopes);

public sealed record UpdateResourceServer(string UserPoolId, string Identifier, string Name, IReadOnlyList<ResourceServerScope> Scopes);

public sealed record ResourceServerId(string UserPoolId, string Identifier);

public sealed record ListResourceServers(string UserPoolId, int MaxResults, string? NextToken);

/// <summary>CreateResourceServer, DescribeResourceServer, UpdateResourceServer, DeleteResourceServer, ListResourceServers.</summary>
public sealed class ResourceServerOperations(IResourceServerStore servers, IUserPoolStore pools)
{
    public async Task<Result<ResourceServer>> CreateAsync(CreateResourceServer command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (DuplicateScope(command.Scopes) is { } duplicate)
        {
            return duplicate;
        }

        if (await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        var server = new ResourceServer(command.UserPoolId, command.Identifier, command.Name, command.Scopes);
        return await servers.TryCreateResourceServerAsync(server, cancellationToken).ConfigureAwait(false)
            ? server
            : await NotCreatedAsync(command.UserPoolId, command.Identifier, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<ResourceServer>> DescribeAsync(ResourceServerId command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var server = await servers.GetResourceServerAsync(command.UserPoolId, command.Identifier, cancellationToken).ConfigureAwait(false);
        return server is null ? await NotFoundAsync(command, cancellationToken).ConfigureAwait(false) : server;
    }

    public async Task<Result<ResourceServer>> UpdateAsync(UpdateResourceServer command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (DuplicateScope(command.Scopes) is { } duplicate)
        {
            return duplicate;
        }

        var server = new ResourceServer(command.UserPoolId, command.Identifier, command.Name, command.Scopes);
        return await servers.UpdateResourceServerAsync(server, cancellationToken).ConfigureAwait(false)
            ? server
            : await NotFoundAsync(new ResourceServerId(command.UserPoolId, command.Identifier), cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<Unit>> DeleteAsync(ResourceServerId command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return await servers.DeleteResourceServerAsync(command.UserPoolId, command.Identifier, cancellationToken).ConfigureAwait(false)
            ? Unit.Value
            : await NotFoundAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<Page<ResourceServer>>> ListAsync(ListResourceServers command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        return await Paging.ReadAsync(() => servers.ListResourceServersAsync(command.UserPoolId, command.MaxResults, command.NextToken, cancellationToken))
            .ConfigureAwait(false);
    }

    private static AwsError? DuplicateScope(IReadOnlyList<ResourceServerScope> scopes) =>
        scopes.GroupBy(s => s.ScopeName, StringComparer.Ordinal).Any(g => g.Count() > 1)
            ? UserPoolErrors.InvalidParameter("Duplicate scope names are not allowed.")
            : null;

    private async Task<AwsError> NotCreatedAsync(string userPoolId, string identifier, CancellationToken cancellationToken) =>
        await pools.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false) is null
            ? UserPoolErrors.UserPoolNotFound(userPoolId)
            : UserPoolErrors.InvalidParameter($"{identifier} already exists in pool {userPoolId}.");

    private async Task<AwsError> NotFoundAsync(ResourceServerId id, CancellationToken cancellationToken) =>
        await pools.GetUserPoolAsync(id.UserPoolId, cancellationToken).ConfigureAwait(false) is null
            ? UserPoolErrors.UserPoolNotFound(id.UserPoolId)
            : new AwsError("ResourceNotFoundException", $"Resource server {id.Identifier} does not exist.");
}
