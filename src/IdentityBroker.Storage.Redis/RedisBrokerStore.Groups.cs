using System.Text.Json;
using IdentityBroker.UserPools.Groups;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <remarks>
/// A user pool's groups and memberships live on the pool's <c>{userpool:&lt;id&gt;}</c> slot (<see cref="UserPoolKeys"/>),
/// next to its alive marker: a group is created only while the pool is alive, and deleting the pool purges them
/// (<see cref="RedisGroupScripts.PurgeGroups"/>) after closing the slot.
/// </remarks>
public sealed partial class RedisBrokerStore : IUserPoolGroupStore
{
    public Task<GroupCreation> TryCreateGroupAsync(UserPoolGroup group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        var keys = _keys.UserPool(group.UserPoolId);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisScripts.CreateUserPoolClient,
            [keys.Alive, keys.GroupDocuments, keys.GroupOrder, keys.GroupSequence],
            [GroupNames.Key(group.GroupName), SerializeGroup(group)]).ConfigureAwait(false) switch
        {
            1 => GroupCreation.Created,
            0 => GroupCreation.NameTaken,
            _ => GroupCreation.NoPool,
        });
    }

    public Task<UserPoolGroup?> GetGroupAsync(string userPoolId, string groupName, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var document = await Db.HashGetAsync(_keys.UserPool(userPoolId).GroupDocuments, GroupNames.Key(groupName)).ConfigureAwait(false);
            return document.IsNull ? null : DeserializeGroup(document!);
        });

    public Task<bool> UpdateGroupAsync(UserPoolGroup group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisScripts.ReplaceField, [_keys.UserPool(group.UserPoolId).GroupDocuments],
            [GroupNames.Key(group.GroupName), SerializeGroup(group)]).ConfigureAwait(false) == 1);
    }

    public Task<bool> DeleteGroupAsync(string userPoolId, string groupName, CancellationToken cancellationToken)
    {
        var keys = _keys.UserPool(userPoolId);
        var key = GroupNames.Key(groupName);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisGroupScripts.DeleteGroup,
            [keys.GroupDocuments, keys.GroupOrder, keys.GroupMembers(key)],
            [key, keys.MemberGroupsPrefix, RedisKeys.GroupsSuffix]).ConfigureAwait(false) == 1);
    }

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    public Task<Page<UserPoolGroup>> ListGroupsAsync(string userPoolId, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        var keys = _keys.UserPool(userPoolId);
        return ListGroupDocumentsAsync(keys.GroupDocuments, keys.GroupOrder, PageCursorKind.UserPoolGroups, limit, nextToken);
    }

    public Task<bool> AddMemberAsync(string userPoolId, string groupName, string member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var keys = _keys.UserPool(userPoolId);
        var key = GroupNames.Key(groupName);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisGroupScripts.AddMember,
            [keys.GroupDocuments, keys.GroupMembers(key), keys.MemberGroups(member), keys.MemberSequence],
            [key, member]).ConfigureAwait(false) == 1);
    }

    public Task<bool> RemoveMemberAsync(string userPoolId, string groupName, string member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var keys = _keys.UserPool(userPoolId);
        var key = GroupNames.Key(groupName);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisGroupScripts.RemoveMember,
            [keys.GroupDocuments, keys.GroupMembers(key), keys.MemberGroups(member)],
            [key, member]).ConfigureAwait(false) == 1);
    }

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    public Task<Page<string>> ListMembersAsync(string userPoolId, string groupName, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = PageCursor.Decode(PageCursorKind.UserPoolGroupMembers, nextToken);
        var members = _keys.UserPool(userPoolId).GroupMembers(GroupNames.Key(groupName));
        return GuardAsync(async () =>
        {
            var rows = await Db.SortedSetRangeByScoreWithScoresAsync(members, after, double.PositiveInfinity, Exclude.Start, Order.Ascending,
                0, limit + 1L).ConfigureAwait(false);
            var items = rows.Take(limit).Select(r => (string)r.Element!).ToList();
            var token = rows.Length > limit ? PageCursor.Encode(PageCursorKind.UserPoolGroupMembers, (long)rows[limit - 1].Score) : null;
            return new Page<string>(items, token);
        });
    }

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    public Task<Page<UserPoolGroup>> ListGroupsOfMemberAsync(string userPoolId, string member, int limit, string? nextToken,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var keys = _keys.UserPool(userPoolId);
        return ListGroupDocumentsAsync(keys.GroupDocuments, keys.MemberGroups(member), PageCursorKind.UserPoolMemberGroups, limit, nextToken);
    }

    public Task RemoveMemberFromAllGroupsAsync(string userPoolId, string member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(() => Db.ScriptEvaluateAsync(
            RedisGroupScripts.RemoveMemberEverywhere, [keys.MemberGroups(member)],
            [keys.GroupMembersPrefix, RedisKeys.MembersSuffix, member]));
    }

    /// <summary>Deleting a user pool: its groups and memberships, after the alive marker is gone (no group is created meanwhile).</summary>
    private Task<RedisResult> PurgeGroupsAsync(UserPoolKeys keys) =>
        Db.ScriptEvaluateAsync(
            RedisGroupScripts.PurgeGroups,
            [keys.GroupDocuments, keys.GroupOrder, keys.GroupSequence, keys.MemberSequence],
            [keys.GroupMembersPrefix, RedisKeys.MembersSuffix, keys.MemberGroupsPrefix, RedisKeys.GroupsSuffix]);

    /// <summary>Group documents in the order of <paramref name="order"/> (the pool's groups, or one member's).</summary>
    private Task<Page<UserPoolGroup>> ListGroupDocumentsAsync(RedisKey documents, RedisKey order, PageCursorKind kind, int limit, string? nextToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = PageCursor.Decode(kind, nextToken);
        return GuardAsync(async () =>
        {
            var rows = (RedisResult[])(await Db.ScriptEvaluateAsync(
                RedisScripts.ListPools, [documents, order], [Text(after), Text(limit + 1L)]).ConfigureAwait(false))!;
            var items = rows.Take(limit).Select(r => DeserializeGroup((string)((RedisResult[])r!)[2]!)).ToList();
            var token = rows.Length > limit ? PageCursor.Encode(kind, Position(((RedisResult[])rows[limit - 1]!)[1])) : null;
            return new Page<UserPoolGroup>(items, token);
        });
    }

    private static string SerializeGroup(UserPoolGroup group) => JsonSerializer.Serialize(group, StoreJsonContext.Default.UserPoolGroup);

    private static UserPoolGroup DeserializeGroup(string document) =>
        JsonSerializer.Deserialize(document, StoreJsonContext.Default.UserPoolGroup)
        ?? throw new InvalidDataException("A stored user pool group document is null.");
}
