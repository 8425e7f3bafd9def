using System.Text.Json;
using IdentityBroker.UserPools.Pools;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore
{
    public Task<bool> TryCreateClientAsync(UserPoolClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var keys = _keys.UserPool(client.UserPoolId);
        return GuardAsync(async () =>
        {
            // The index lives on its own slot (no script spans two slots in a cluster); it is written before the client
            // so that a created client is always findable, and a leftover entry is harmless (FindClientAsync re-checks).
            await Db.StringSetAsync(_keys.UserPoolClientIndex(client.ClientId), client.UserPoolId).ConfigureAwait(false);
            return (long)await Db.ScriptEvaluateAsync(
                RedisScripts.CreateUserPoolClient,
                [keys.Alive, keys.ClientDocuments, keys.ClientOrder, keys.ClientSequence],
                [client.ClientId, SerializeClient(client)]).ConfigureAwait(false) == 1;
        });
    }

    public Task<UserPoolClient?> FindClientAsync(string clientId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var poolId = await Db.StringGetAsync(_keys.UserPoolClientIndex(clientId)).ConfigureAwait(false);
            if (poolId.IsNull)
            {
                return null;
            }

            var document = await Db.HashGetAsync(_keys.UserPool(poolId!).ClientDocuments, clientId).ConfigureAwait(false);
            return document.IsNull ? null : DeserializeClient(document!);
        });

    public Task<UserPoolClient?> GetClientAsync(string userPoolId, string clientId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var document = await Db.HashGetAsync(_keys.UserPool(userPoolId).ClientDocuments, clientId).ConfigureAwait(false);
            return document.IsNull ? null : DeserializeClient(document!);
        });

    public Task<bool> UpdateClientAsync(UserPoolClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisScripts.ReplaceField, [_keys.UserPool(client.UserPoolId).ClientDocuments],
            [client.ClientId, SerializeClient(client)]).ConfigureAwait(false) == 1);
    }

    public Task<bool> DeleteClientAsync(string userPoolId, string clientId, CancellationToken cancellationToken)
    {
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisScripts.DeletePoolDocument, [keys.ClientDocuments, keys.ClientOrder], [clientId]).ConfigureAwait(false) == 1);
    }

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    public Task<Page<UserPoolClient>> ListClientsAsync(string userPoolId, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var after = PageCursor.Decode(PageCursorKind.UserPoolClients, nextToken);
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(async () =>
        {
            var rows = (RedisResult[])(await Db.ScriptEvaluateAsync(
                RedisScripts.ListPools,
                [keys.ClientDocuments, keys.ClientOrder],
                [Text(after), Text(maxResults + 1L)]).ConfigureAwait(false))!;
            var items = rows.Take(maxResults).Select(r => DeserializeClient((string)((RedisResult[])r!)[2]!)).ToList();
            var token = rows.Length > maxResults
                ? PageCursor.Encode(PageCursorKind.UserPoolClients, Position(((RedisResult[])rows[maxResults - 1]!)[1]))
                : null;
            return new Page<UserPoolClient>(items, token);
        });
    }

    private static string SerializeClient(UserPoolClient client) => JsonSerializer.Serialize(client, StoreJsonContext.Default.UserPoolClient);

    private static UserPoolClient DeserializeClient(string document) =>
        JsonSerializer.Deserialize(document, StoreJsonContext.Default.UserPoolClient)
        ?? throw new InvalidDataException("A stored user pool client document is null.");
}
