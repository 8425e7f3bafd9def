namespace IdentityBroker.Storage.Redis;

/// <summary>
/// The scripts of user-pool groups and memberships, all on one user pool's slot. A membership is written twice, in
/// the group's member set and the member's group set, always by one script, so the two never disagree. Group
/// creation uses <see cref="RedisScripts.CreateUserPoolClient"/> (same shape: alive marker, documents, order, counter).
/// </summary>
internal static class RedisGroupScripts
{
    /// <summary>
    /// KEYS: group docs, group order, the group's members. ARGV: group key, member-groups prefix, suffix.
    /// Deletes the group and its memberships; 1 when it existed.
    /// </summary>
    public const string DeleteGroup = """
        local removed = redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        for _, m in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do redis.call('ZREM', ARGV[2] .. m .. ARGV[3], ARGV[1]) end
        redis.call('DEL', KEYS[3])
        return removed
        """;

    /// <summary>
    /// KEYS: group docs, the group's members, the member's groups, membership counter. ARGV: group key, member.
    /// 0 when the group does not exist; 1 otherwise (an existing membership keeps its position).
    /// </summary>
    public const string AddMember = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
        if redis.call('ZSCORE', KEYS[2], ARGV[2]) then return 1 end
        local seq = redis.call('INCR', KEYS[4])
        redis.call('ZADD', KEYS[2], seq, ARGV[2])
        redis.call('ZADD', KEYS[3], seq, ARGV[1])
        return 1
        """;

    /// <summary>KEYS: group docs, the group's members, the member's groups. ARGV: group key, member. 1 when the group exists.</summary>
    public const string RemoveMember = """
        redis.call('ZREM', KEYS[2], ARGV[2])
        redis.call('ZREM', KEYS[3], ARGV[1])
        return redis.call('HEXISTS', KEYS[1], ARGV[1])
        """;

    /// <summary>KEYS: the member's groups. ARGV: group-members prefix, suffix, member. Drops every membership of the member.</summary>
    public const string RemoveMemberEverywhere = """
        local groups = redis.call('ZRANGE', KEYS[1], 0, -1)
        for _, g in ipairs(groups) do redis.call('ZREM', ARGV[1] .. g .. ARGV[2], ARGV[3]) end
        redis.call('DEL', KEYS[1])
        return #groups
        """;

    /// <summary>
    /// KEYS: group docs, group order, group counter, membership counter. ARGV: group-members prefix, suffix,
    /// member-groups prefix, suffix. Deletes every group of the pool with its memberships (the pool is being deleted).
    /// </summary>
    public const string PurgeGroups = """
        for _, g in ipairs(redis.call('HKEYS', KEYS[1])) do
          local members = ARGV[1] .. g .. ARGV[2]
          for _, m in ipairs(redis.call('ZRANGE', members, 0, -1)) do redis.call('DEL', ARGV[3] .. m .. ARGV[4]) end
          redis.call('DEL', members)
        end
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
        return 1
        """;
}
