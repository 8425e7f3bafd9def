using System.Text.Json;
using IdentityBroker.UserPools.Users;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <remarks>
/// A user pool's users live on the pool's <c>{userpool:&lt;id&gt;}</c> slot (<see cref="UserPoolKeys"/>): documents,
/// listing order, the unique-key hash, each user's claimed keys and versions. Every write is one script.
/// </remarks>
public sealed partial class RedisBrokerStore : IUserStore
{
    /// <summary>How many users a filtered listing reads per round trip.</summary>
    private const int ListBatch = 100;

    public Task<UserWrite> TryCreateUserAsync(PoolUser user, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(keys);
        var stored = user with { Version = 1 };
        var k = _keys.UserPool(user.UserPoolId);
        var unique = keys.Distinct(StringComparer.Ordinal).ToArray();
        RedisValue[] args = [stored.Sub, SerializeUser(stored), Claims(unique), .. unique.Select(key => (RedisValue)key)];
        return GuardAsync(async () =>
        {
            var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisUserScripts.CreateUser,
                [k.Alive, k.UserDocuments, k.UserOrder, k.UserSequence, k.UserKeys, k.UserClaims, k.UserVersions], args).ConfigureAwait(false))!;
            return (string)reply[0]! switch
            {
                "ok" => new UserWrite(UserWriteStatus.Written, stored),
                "nopool" => UserWrite.Of(UserWriteStatus.NoPool),
                "exists" => UserWrite.Of(UserWriteStatus.Conflict),
                _ => new UserWrite(UserWriteStatus.KeyTaken, TakenKey: (string)reply[1]!),
            };
        });
    }

    public Task<PoolUser?> GetUserAsync(string userPoolId, string sub, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var document = await Db.HashGetAsync(_keys.UserPool(userPoolId).UserDocuments, sub).ConfigureAwait(false);
            return document.IsNull ? null : DeserializeUser(document!);
        });

    public Task<PoolUser?> FindUserAsync(string userPoolId, string key, CancellationToken cancellationToken)
    {
        var k = _keys.UserPool(userPoolId);
        return GuardAsync(async () =>
        {
            var document = await Db.ScriptEvaluateAsync(RedisUserScripts.FindUser, [k.UserKeys, k.UserDocuments], [key]).ConfigureAwait(false);
            return document.IsNull ? null : DeserializeUser((string)document!);
        });
    }

    public Task<UserWrite> UpdateUserAsync(PoolUser user, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(keys);
        var stored = user with { Version = user.Version + 1 };
        var k = _keys.UserPool(user.UserPoolId);
        var unique = keys.Distinct(StringComparer.Ordinal).ToArray();
        RedisValue[] args = [user.Sub, Text(user.Version), SerializeUser(stored), Claims(unique), .. unique.Select(key => (RedisValue)key)];
        return GuardAsync(async () =>
        {
            var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisUserScripts.UpdateUser,
                [k.UserDocuments, k.UserKeys, k.UserClaims, k.UserVersions], args).ConfigureAwait(false))!;
            return (string)reply[0]! switch
            {
                "ok" => new UserWrite(UserWriteStatus.Written, stored),
                "missing" => UserWrite.Of(UserWriteStatus.NotFound),
                "stale" => UserWrite.Of(UserWriteStatus.Conflict),
                _ => new UserWrite(UserWriteStatus.KeyTaken, TakenKey: (string)reply[1]!),
            };
        });
    }

    public Task<bool> DeleteUserAsync(string userPoolId, string sub, CancellationToken cancellationToken)
    {
        var k = _keys.UserPool(userPoolId);
        return GuardAsync(async () =>
        {
            var deleted = (long)await Db.ScriptEvaluateAsync(RedisUserScripts.DeleteUser,
                [k.UserDocuments, k.UserOrder, k.UserKeys, k.UserClaims, k.UserVersions], [sub]).ConfigureAwait(false) == 1;
            await RemoveMemberFromAllGroupsAsync(userPoolId, sub, cancellationToken).ConfigureAwait(false);
            return deleted;
        });
    }

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    public Task<Page<PoolUser>> ListUsersAsync(
        string userPoolId, int maxResults, string? nextToken, Func<PoolUser, bool>? where, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var after = PageCursor.Decode(PageCursorKind.Users, nextToken);
        var k = _keys.UserPool(userPoolId);
        return GuardAsync(async () =>
        {
            // Reads batches in creation order until one more match than the page is found (then a next page exists).
            var items = new List<PoolUser>();
            long last = 0;
            while (true)
            {
                var rows = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.ListPools, [k.UserDocuments, k.UserOrder],
                    [Text(after), Text(where is null ? maxResults + 1L : ListBatch)]).ConfigureAwait(false))!;
                foreach (var row in rows.Select(r => (RedisResult[])r!))
                {
                    after = Position(row[1]);
                    var user = DeserializeUser((string)row[2]!);
                    if (where is not null && !where(user))
                    {
                        continue;
                    }

                    if (items.Count == maxResults)
                    {
                        return new Page<PoolUser>(items, PageCursor.Encode(PageCursorKind.Users, last));
                    }

                    last = after;
                    items.Add(user);
                }

                if (rows.Length == 0 || where is null)
                {
                    return new Page<PoolUser>(items, null);
                }
            }
        });
    }

    private static string Claims(string[] keys) => JsonSerializer.Serialize(keys, StoreJsonContext.Default.StringArray);

    private static string SerializeUser(PoolUser user) => JsonSerializer.Serialize(user, StoreJsonContext.Default.PoolUser);

    private static PoolUser DeserializeUser(string document) =>
        JsonSerializer.Deserialize(document, StoreJsonContext.Default.PoolUser)
        ?? throw new InvalidDataException("A stored user document is null.");
}
