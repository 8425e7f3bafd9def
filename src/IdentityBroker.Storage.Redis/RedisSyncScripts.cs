namespace IdentityBroker.Storage.Redis;

/// <summary>
/// Cognito Sync's scripts (<see cref="SyncKeys"/>). The store reads a dataset, plans the write in C#
/// (<see cref="Sync.SyncWritePlan"/>) and runs a script that writes only while the dataset's sync count is still the one
/// planned against: 0 means another write came first and the store plans again, so a write is whole or absent and two
/// racing writers never both succeed against one count.
/// </summary>
internal static class RedisSyncScripts
{
    /// <summary>
    /// KEYS: datasets, counts, records, usage, streaming, stream. ARGV: name, expected count ('0' for a new dataset), max
    /// datasets, dataset document, new count, storage delta, modified ticks, change JSON, then record key/document pairs.
    /// 1 written; 0 the count moved; -1 a new dataset beyond the limit.
    /// </summary>
    public const string UpdateRecords = """
        local cur = redis.call('HGET', KEYS[2], ARGV[1])
        if (cur or '0') ~= ARGV[2] then return 0 end
        if not cur and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then return -1 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[5])
        for i = 9, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
        redis.call('HINCRBY', KEYS[4], 'storage', ARGV[6])
        local modified = redis.call('HGET', KEYS[4], 'modified')
        if not modified or #modified < #ARGV[7] or (#modified == #ARGV[7] and modified < ARGV[7]) then
            redis.call('HSET', KEYS[4], 'modified', ARGV[7])
        end
        if redis.call('EXISTS', KEYS[5]) == 1 then redis.call('XADD', KEYS[6], '*', 'change', ARGV[8]) end
        return 1
        """;

    /// <summary>
    /// KEYS: datasets, counts, records, subscribers, usage, streaming, stream. ARGV: name, expected count, storage, change
    /// JSON. 1 deleted; 0 the count moved (or the dataset is gone).
    /// </summary>
    public const string DeleteDataset = """
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('DEL', KEYS[3], KEYS[4])
        redis.call('HINCRBY', KEYS[5], 'storage', -tonumber(ARGV[3]))
        if redis.call('EXISTS', KEYS[6]) == 1 then redis.call('XADD', KEYS[7], '*', 'change', ARGV[4]) end
        return 1
        """;

    /// <summary>
    /// KEYS: from datasets, from counts, from records, to datasets, to counts, to records, from subscribers. ARGV: name,
    /// target name, target document, expected count. 1 moved; 0 the count moved; -1 the target name is taken.
    /// </summary>
    public const string MoveDataset = """
        local cur = redis.call('HGET', KEYS[2], ARGV[1])
        if cur ~= ARGV[4] then return 0 end
        if redis.call('HEXISTS', KEYS[5], ARGV[2]) == 1 then return -1 end
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])
        redis.call('HSET', KEYS[5], ARGV[2], cur)
        if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('RENAME', KEYS[3], KEYS[6]) end
        redis.call('DEL', KEYS[7])
        return 1
        """;
}
