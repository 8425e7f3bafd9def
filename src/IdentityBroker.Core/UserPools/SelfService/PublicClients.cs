using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SelfService;

/// <summary>
/// The first stage of every unsigned user operation: the ClientId must name an existing client (ResourceNotFoundException
/// otherwise), its pool must exist, and a client with a secret must be sent the right SECRET_HASH for the username
/// (<see cref="SecretHash.Check"/>).
/// </summary>
public sealed class PublicClients(IUserPoolStore pools, UserLookup lookup)
{
    public async Task<Result<(UserPool Pool, UserPoolClient Client)>> OpenAsync(ClientCall call, string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (await pools.FindClientAsync(call.ClientId, cancellationToken).ConfigureAwait(false) is not { } client)
        {
            return UserPoolErrors.ClientNotFound(call.ClientId);
        }

        if (await pools.GetUserPoolAsync(client.UserPoolId, cancellationToken).ConfigureAwait(false) is not { } pool)
        {
            return UserPoolErrors.ClientNotFound(call.ClientId);
        }

        return SecretHash.Check(client, username, call.SecretHash) is { } refused ? refused : (pool, client);
    }

    /// <summary>
    /// The pool, client and user the call names; the user is null only when the client hides user existence
    /// (UserNotFoundException otherwise).
    /// </summary>
    public async Task<Result<(UserPool Pool, UserPoolClient Client, PoolUser? User)>> FindUserAsync(
        ClientCall call, string username, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(call, username, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            return opened.Error!;
        }

        var (pool, client) = opened.Value;
        var user = await lookup.FindAsync(pool, username, cancellationToken).ConfigureAwait(false);
        return user is null && !HidesUserExistence(client) ? UserErrors.UserNotFound : (pool, client, user);
    }

    /// <summary>The client's PreventUserExistenceErrors is ENABLED: an unknown user is answered as a known one would be.</summary>
    public static bool HidesUserExistence(UserPoolClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Settings.PreventUserExistenceErrors == "ENABLED";
    }
}
