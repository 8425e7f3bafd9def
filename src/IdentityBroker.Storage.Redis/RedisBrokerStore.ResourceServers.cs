using System.Text.Json;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.ResourceServers;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <remarks>A pool's resource servers: a hash by identifier, an order set and a counter on its slot, as its app clients.</remarks>
public sealed partial class RedisBrokerStore : IResourceServerStore
{
    public Task<bool> TryCreateResourceServerAsync(ResourceServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var keys = _keys.UserPool(server.UserPoolId);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisScripts.CreateUserPoolClient,
            [keys.Alive, keys.ResourceServerDocuments, keys.ResourceServerOrder, keys.ResourceServerSequence],
            [server.Identifier, SerializeResourceServer(server)]).ConfigureAwait(false) == 1);
    }

    public Task<ResourceServer?> GetResourceServerAsync(string userPoolId, string identifier, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var document = await Db.HashGetAsync(_keys.UserPool(userPoolId).ResourceServerDocuments, identifier).ConfigureAwait(false);
            return document.IsNull ? null : DeserializeResourceServer((string)document!);
        });

    public Task<bool> UpdateResourceServerAsync(ResourceServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var keys = _keys.UserPool(server.UserPoolId);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisScripts.ReplaceField, [keys.ResourceServerDocuments], [server.Identifier, SerializeResourceServer(server)]).ConfigureAwait(false) == 1);
    }

    public Task<bool> DeleteResourceServerAsync(string userPoolId, string identifier, CancellationToken cancellationToken)
    {
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisScripts.DeletePoolDocument, [keys.ResourceServerDocuments, keys.ResourceServerOrder], [identifier]).ConfigureAwait(false) == 1);
    }

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    public Task<Page<ResourceServer>> ListResourceServersAsync(string userPoolId, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var after = PageCursor.Decode(PageCursorKind.ResourceServers, nextToken);
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(async () =>
        {
            var rows = (RedisResult[])(await Db.ScriptEvaluateAsync(
                RedisScripts.ListPools, [keys.ResourceServerDocuments, keys.ResourceServerOrder], [Text(after), Text(maxResults + 1L)]).ConfigureAwait(false))!;
            var items = rows.Take(maxResults).Select(r => DeserializeResourceServer((string)((RedisResult[])r!)[2]!)).ToList();
            var token = rows.Length > maxResults
                ? PageCursor.Encode(PageCursorKind.ResourceServers, Position(((RedisResult[])rows[maxResults - 1]!)[1]))
                : null;
            return new Page<ResourceServer>(items, token);
        });
    }

    private static string SerializeResourceServer(ResourceServer server) => JsonSerializer.Serialize(server, OAuthStoreJsonContext.Default.ResourceServer);

    private static ResourceServer DeserializeResourceServer(string document) =>
        JsonSerializer.Deserialize(document, OAuthStoreJsonContext.Default.ResourceServer)
        ?? throw new InvalidDataException("A stored resource server document is null.");
}
