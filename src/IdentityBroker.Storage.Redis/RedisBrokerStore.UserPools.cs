using System.Text.Json;
using IdentityBroker.UserPools.Pools;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <remarks>
/// User pools live on the <c>{userpools}</c> slot: a hash of documents, a sorted set of listing positions and its
/// counter, written by the same scripts as the identity pools' (each call one script, so one atomic step). A pool's app
/// clients live on its own <c>{userpool:&lt;id&gt;}</c> slot, next to the pool's alive marker, as an identity pool's identities do.
/// </remarks>
public sealed partial class RedisBrokerStore : IUserPoolStore
{
    public Task<bool> TryCreateUserPoolAsync(UserPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return GuardAsync(async () =>
        {
            // Open the pool's slot to clients first; a pool whose create was interrupted here is invisible.
            await Db.StringSetAsync(_keys.UserPool(pool.Id).Alive, "1").ConfigureAwait(false);
            return (long)await Db.ScriptEvaluateAsync(
                RedisScripts.CreatePool,
                [_keys.UserPoolDocuments, _keys.UserPoolOrder, _keys.UserPoolSequence],
                [pool.Id, SerializeUserPool(pool)]).ConfigureAwait(false) == 1;
        });
    }

    public Task<UserPool?> GetUserPoolAsync(string userPoolId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var document = await Db.HashGetAsync(_keys.UserPoolDocuments, userPoolId).ConfigureAwait(false);
            return document.IsNull ? null : DeserializeUserPool(document!);
        });

    public Task<bool> UpdateUserPoolAsync(UserPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisScripts.ReplaceField, [_keys.UserPoolDocuments], [pool.Id, SerializeUserPool(pool)]).ConfigureAwait(false) == 1);
    }

    /// <remarks>
    /// Closes the pool's slot to new clients and users, removes the document, then its clients and users (one DEL on one slot). Each step
    /// runs even when the pool is already gone, so repeating an interrupted delete finishes it.
    /// </remarks>
    public Task<bool> DeleteUserPoolAsync(string userPoolId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var keys = _keys.UserPool(userPoolId);
            await Db.KeyDeleteAsync(keys.Alive).ConfigureAwait(false);
            var existed = (long)await Db.ScriptEvaluateAsync(
                RedisScripts.DeletePoolDocument, [_keys.UserPoolDocuments, _keys.UserPoolOrder], [userPoolId]).ConfigureAwait(false) == 1;
            await PurgeUserPoolAsync(keys).ConfigureAwait(false);
            return existed;
        });

    /// <summary>A deleted pool's clients, users and the rest of its slot (after its document is gone and its slot closed).</summary>
    private async Task PurgeUserPoolAsync(UserPoolKeys keys)
    {
        await Db.KeyDeleteAsync([keys.ClientDocuments, keys.ClientOrder, keys.ClientSequence, keys.Codes, keys.CodeAttempts, keys.CodeExpiry,
            keys.UserDocuments, keys.UserOrder, keys.UserSequence, keys.UserKeys, keys.UserClaims, keys.UserVersions,
            keys.ProviderDocuments, keys.ProviderOrder, keys.ProviderSequence, keys.ProviderIdentifiers,
            keys.ResourceServerDocuments, keys.ResourceServerOrder, keys.ResourceServerSequence, keys.UiCustomizations,
            keys.SignInFailures, keys.SignInFailureExpiry]).ConfigureAwait(false);
        await PurgeGroupsAsync(keys).ConfigureAwait(false);
    }

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    public Task<Page<UserPool>> ListUserPoolsAsync(int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var after = PageCursor.Decode(PageCursorKind.UserPools, nextToken);
        return GuardAsync(async () =>
        {
            var rows = (RedisResult[])(await Db.ScriptEvaluateAsync(
                RedisScripts.ListPools,
                [_keys.UserPoolDocuments, _keys.UserPoolOrder],
                [Text(after), Text(maxResults + 1L)]).ConfigureAwait(false))!;
            var items = rows.Take(maxResults).Select(r => DeserializeUserPool((string)((RedisResult[])r!)[2]!)).ToList();
            var token = rows.Length > maxResults
                ? PageCursor.Encode(PageCursorKind.UserPools, Position(((RedisResult[])rows[maxResults - 1]!)[1]))
                : null;
            return new Page<UserPool>(items, token);
        });
    }

    private static string SerializeUserPool(UserPool pool) => JsonSerializer.Serialize(pool, StoreJsonContext.Default.UserPool);

    private static UserPool DeserializeUserPool(string document) =>
        JsonSerializer.Deserialize(document, StoreJsonContext.Default.UserPool)
        ?? throw new InvalidDataException("A stored user pool document is null.");
}
