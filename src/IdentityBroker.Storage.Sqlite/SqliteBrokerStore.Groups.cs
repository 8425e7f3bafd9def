using System.Text.Json;
using IdentityBroker.UserPools.Groups;
using Microsoft.Data.Sqlite;

namespace IdentityBroker.Storage.Sqlite;

/// <remarks>
/// Groups and memberships go with their pool and group by ON DELETE CASCADE (foreign keys are on for the writer), so
/// DeleteUserPoolAsync needs no step of its own for them.
/// </remarks>
public sealed partial class SqliteBrokerStore : IUserPoolGroupStore
{
    private const string InsertGroupSql =
        "INSERT INTO user_pool_groups (pool_id, name_key, document) SELECT $pool, $key, $document "
        + "WHERE EXISTS (SELECT 1 FROM user_pools WHERE id = $pool) ON CONFLICT (pool_id, name_key) DO NOTHING;";

    private const string ListGroupsSql =
        "SELECT seq, document FROM user_pool_groups WHERE pool_id = $pool AND seq > $after ORDER BY seq LIMIT $limit;";

    private const string InsertMemberSql =
        "INSERT INTO user_pool_group_members (pool_id, name_key, member) SELECT $pool, $key, $member "
        + "WHERE EXISTS (SELECT 1 FROM user_pool_groups WHERE pool_id = $pool AND name_key = $key) "
        + "ON CONFLICT (pool_id, name_key, member) DO NOTHING;";

    private const string ListMembersSql =
        "SELECT seq, member FROM user_pool_group_members WHERE pool_id = $pool AND name_key = $key AND seq > $after ORDER BY seq LIMIT $limit;";

    private const string ListGroupsOfMemberSql =
        "SELECT m.seq, g.document FROM user_pool_group_members m JOIN user_pool_groups g ON g.pool_id = m.pool_id AND g.name_key = m.name_key "
        + "WHERE m.pool_id = $pool AND m.member = $member AND m.seq > $after ORDER BY m.seq LIMIT $limit;";

    public Task<GroupCreation> TryCreateGroupAsync(UserPoolGroup group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return WriteAsync(group, static async (s, g, ct) =>
        {
            if (await GroupCommand(s, InsertGroupSql, g).ExecuteNonQueryAsync(ct) == 1)
            {
                return GroupCreation.Created;
            }

            var pool = s.Command("SELECT 1 FROM user_pools WHERE id = $pool;");
            pool.Parameters.AddWithValue("$pool", g.UserPoolId);
            return await pool.ExecuteScalarAsync(ct) is null ? GroupCreation.NoPool : GroupCreation.NameTaken;
        }, cancellationToken);
    }

    public Task<UserPoolGroup?> GetGroupAsync(string userPoolId, string groupName, CancellationToken cancellationToken) =>
        ReadAsync((userPoolId, key: GroupNames.Key(groupName)), static async (s, k, ct) =>
        {
            var command = s.Command("SELECT document FROM user_pool_groups WHERE pool_id = $pool AND name_key = $key;");
            command.Parameters.AddWithValue("$pool", k.userPoolId);
            command.Parameters.AddWithValue("$key", k.key);
            return await command.ExecuteScalarAsync(ct) is string document ? DeserializeGroup(document) : null;
        }, cancellationToken);

    public Task<bool> UpdateGroupAsync(UserPoolGroup group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return WriteAsync(group, static async (s, g, ct) => await GroupCommand(s,
            "UPDATE user_pool_groups SET document = $document WHERE pool_id = $pool AND name_key = $key;", g).ExecuteNonQueryAsync(ct) == 1,
            cancellationToken);
    }

    public Task<bool> DeleteGroupAsync(string userPoolId, string groupName, CancellationToken cancellationToken) =>
        WriteAsync((userPoolId, key: GroupNames.Key(groupName)), static async (s, k, ct) =>
            await KeyCommand(s, "DELETE FROM user_pool_groups WHERE pool_id = $pool AND name_key = $key;", k.userPoolId, k.key)
                .ExecuteNonQueryAsync(ct) == 1,
            cancellationToken);

    public Task<Page<UserPoolGroup>> ListGroupsAsync(string userPoolId, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = PageCursor.Decode(PageCursorKind.UserPoolGroups, nextToken);
        return ReadAsync((userPoolId, after, limit), static async (s, r, ct) =>
        {
            var command = s.Command(ListGroupsSql);
            command.Parameters.AddWithValue("$pool", r.userPoolId);
            return await SqlitePages.ReadAsync(command, r.after, r.limit, PageCursorKind.UserPoolGroups, DeserializeGroup, ct);
        }, cancellationToken);
    }

    public Task<bool> AddMemberAsync(string userPoolId, string groupName, string member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        return WriteAsync((userPoolId, key: GroupNames.Key(groupName), member), static async (s, m, ct) =>
        {
            var insert = KeyCommand(s, InsertMemberSql, m.userPoolId, m.key);
            insert.Parameters.AddWithValue("$member", m.member);
            return await insert.ExecuteNonQueryAsync(ct) == 1 || await GroupExistsAsync(s, m.userPoolId, m.key, ct);
        }, cancellationToken);
    }

    public Task<bool> RemoveMemberAsync(string userPoolId, string groupName, string member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        return WriteAsync((userPoolId, key: GroupNames.Key(groupName), member), static async (s, m, ct) =>
        {
            var delete = KeyCommand(s, "DELETE FROM user_pool_group_members WHERE pool_id = $pool AND name_key = $key AND member = $member;",
                m.userPoolId, m.key);
            delete.Parameters.AddWithValue("$member", m.member);
            await delete.ExecuteNonQueryAsync(ct);
            return await GroupExistsAsync(s, m.userPoolId, m.key, ct);
        }, cancellationToken);
    }

    public Task<Page<string>> ListMembersAsync(string userPoolId, string groupName, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = PageCursor.Decode(PageCursorKind.UserPoolGroupMembers, nextToken);
        return ReadAsync((userPoolId, key: GroupNames.Key(groupName), after, limit), static async (s, r, ct) =>
            await SqlitePages.ReadAsync(KeyCommand(s, ListMembersSql, r.userPoolId, r.key), r.after, r.limit,
                PageCursorKind.UserPoolGroupMembers, static member => member, ct),
            cancellationToken);
    }

    public Task<Page<UserPoolGroup>> ListGroupsOfMemberAsync(string userPoolId, string member, int limit, string? nextToken,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = PageCursor.Decode(PageCursorKind.UserPoolMemberGroups, nextToken);
        return ReadAsync((userPoolId, member, after, limit), static async (s, r, ct) =>
        {
            var command = s.Command(ListGroupsOfMemberSql);
            command.Parameters.AddWithValue("$pool", r.userPoolId);
            command.Parameters.AddWithValue("$member", r.member);
            return await SqlitePages.ReadAsync(command, r.after, r.limit, PageCursorKind.UserPoolMemberGroups, DeserializeGroup, ct);
        }, cancellationToken);
    }

    public Task RemoveMemberFromAllGroupsAsync(string userPoolId, string member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        return WriteAsync((userPoolId, member), static async (s, m, ct) =>
        {
            var delete = s.Command("DELETE FROM user_pool_group_members WHERE pool_id = $pool AND member = $member;");
            delete.Parameters.AddWithValue("$pool", m.userPoolId);
            delete.Parameters.AddWithValue("$member", m.member);
            return await delete.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    private static async Task<bool> GroupExistsAsync(SqliteSession s, string userPoolId, string key, CancellationToken ct) =>
        await KeyCommand(s, "SELECT 1 FROM user_pool_groups WHERE pool_id = $pool AND name_key = $key;", userPoolId, key)
            .ExecuteScalarAsync(ct) is not null;

    private static SqliteCommand KeyCommand(SqliteSession s, string sql, string userPoolId, string key)
    {
        var command = s.Command(sql);
        command.Parameters.AddWithValue("$pool", userPoolId);
        command.Parameters.AddWithValue("$key", key);
        return command;
    }

    private static SqliteCommand GroupCommand(SqliteSession s, string sql, UserPoolGroup group)
    {
        var command = KeyCommand(s, sql, group.UserPoolId, GroupNames.Key(group.GroupName));
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(group, StoreJsonContext.Default.UserPoolGroup));
        return command;
    }

    private static UserPoolGroup DeserializeGroup(string document) =>
        JsonSerializer.Deserialize(document, StoreJsonContext.Default.UserPoolGroup)
        ?? throw new InvalidDataException("A stored user pool group document is null.");
}
