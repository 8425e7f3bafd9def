using StackExchange.Redis;

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
    /// KEYS: datasets, counts, records, usage, streaming, stream, deleted. ARGV: name, expected count ('0' for a new
    /// dataset), max datasets, dataset document, new count, storage delta, modified ticks, change JSON, the deleted sync
    /// count a new dataset was planned on ('0' otherwise), then record key/document pairs.
    /// 1 written; 0 the count moved; -1 a new dataset beyond the limit.
    /// </summary>
    public const string UpdateRecords = """
        local cur = redis.call('HGET', KEYS[2], ARGV[1])
        if (cur or '0') ~= ARGV[2] then return 0 end
        if not cur and (redis.call('HGET', KEYS[7], ARGV[1]) or '0') ~= ARGV[9] then return 0 end
        if not cur and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then return -1 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[5])
        for i = 10, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
        redis.call('HINCRBY', KEYS[4], 'storage', ARGV[6])
        local modified = redis.call('HGET', KEYS[4], 'modified')
        if not modified or #modified < #ARGV[7] or (#modified == #ARGV[7] and modified < ARGV[7]) then
            redis.call('HSET', KEYS[4], 'modified', ARGV[7])
        end
        if redis.call('EXISTS', KEYS[5]) == 1 then redis.call('XADD', KEYS[6], '*', 'change', ARGV[8]) end
        return 1
        """;

    /// <summary>
    /// KEYS: datasets, counts, records, subscribers, usage, streaming, stream, deleted. ARGV: name, expected count,
    /// storage, change JSON. 1 deleted; 0 the count moved (or the dataset is gone).
    /// </summary>
    public const string DeleteDataset = """
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('HSET', KEYS[8], ARGV[1], ARGV[2])
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('DEL', KEYS[3], KEYS[4])
        redis.call('HINCRBY', KEYS[5], 'storage', -tonumber(ARGV[3]))
        if redis.call('EXISTS', KEYS[6]) == 1 then redis.call('XADD', KEYS[7], '*', 'change', ARGV[4]) end
        return 1
        """;

    /// <summary>
    /// The tail a merge's identity rewrite runs with (<see cref="SyncDatasetMoves"/>): <c>rewrite</c> is
    /// <see cref="RedisScripts.RewriteIdentities"/> as a function. First the plan is checked (every merged identity has
    /// the datasets it was planned with, each exactly as read, and no target name is taken; every key a move writes is
    /// touched, so a wrong-typed key fails here), then the rewrite runs, and
    /// only if it wrote ('ok') do the datasets move. Nothing is written before every check passed, so the merge and its
    /// datasets land together or not at all. The last two ARGV are where the tail's KEYS and ARGV begin. KEYS from ks:
    /// survivor datasets, survivor counts, per merged identity its datasets and counts, per move the records from and to
    /// and the subscribers. ARGV from as: merged identities m, each one's dataset count, moves n, per move the merged
    /// identity's index, name, target name, document as read, document moved.
    /// </summary>
    public const string MoveDatasetsTail = """
        local ks = tonumber(ARGV[#ARGV - 1])
        local as = tonumber(ARGV[#ARGV])
        local m = tonumber(ARGV[as])
        for i = 1, m do
          if redis.call('HLEN', KEYS[ks + 2 * i]) ~= tonumber(ARGV[as + i]) then return 'retry' end
        end
        local p = as + m + 1
        local n = tonumber(ARGV[p])
        for j = 1, n do
          local b = p + 1 + (j - 1) * 5
          local i = tonumber(ARGV[b])
          if redis.call('HGET', KEYS[ks + 2 * i], ARGV[b + 1]) ~= ARGV[b + 3] then return 'retry' end
          if not redis.call('HGET', KEYS[ks + 2 * i + 1], ARGV[b + 1]) then return 'retry' end
          if redis.call('HEXISTS', KEYS[ks], ARGV[b + 2]) == 1 then return 'retry' end
          if redis.call('HEXISTS', KEYS[ks + 1], ARGV[b + 2]) == 1 then return 'retry' end
        end
        local status = rewrite()
        if status ~= 'ok' then return status end
        for j = 1, n do
          local b = p + 1 + (j - 1) * 5
          local i = tonumber(ARGV[b])
          local k = ks + 2 + 2 * m + (j - 1) * 3
          local count = redis.call('HGET', KEYS[ks + 2 * i + 1], ARGV[b + 1])
          redis.call('HDEL', KEYS[ks + 2 * i], ARGV[b + 1])
          redis.call('HDEL', KEYS[ks + 2 * i + 1], ARGV[b + 1])
          redis.call('HSET', KEYS[ks], ARGV[b + 2], ARGV[b + 4])
          redis.call('HSET', KEYS[ks + 1], ARGV[b + 2], count)
          if redis.call('EXISTS', KEYS[k]) == 1 then redis.call('RENAME', KEYS[k], KEYS[k + 1]) end
          redis.call('DEL', KEYS[k + 2])
        end
        return 'ok'
        """;

    /// <summary>The identity rewrite followed by the dataset moves, one script.</summary>
    public static readonly string RewriteIdentitiesMovingDatasets =
        "local function rewrite()\n" + RedisScripts.RewriteIdentities + "\nend\n" + MoveDatasetsTail;
}

/// <summary>
/// A merge's dataset moves as planned on a read (<see cref="RedisBrokerStore"/>'s PlanDatasetMovesAsync), appended to the
/// merge's identity rewrite so one script does both (<see cref="RedisSyncScripts.MoveDatasetsTail"/>).
/// </summary>
internal sealed class SyncDatasetMoves(SyncKeys keys, string survivorId)
{
    private readonly List<(string IdentityId, int Count)> _merged = [];
    private readonly List<(int Merged, string Name, string Target, RedisValue Before, string After)> _moves = [];

    /// <returns>The merged identity's index in the plan (from 1).</returns>
    public int AddMerged(string identityId, int datasetCount)
    {
        _merged.Add((identityId, datasetCount));
        return _merged.Count;
    }

    public void AddMove(int merged, string name, string target, RedisValue before, string after) =>
        _moves.Add((merged, name, target, before, after));

    /// <summary>Appends the tail's KEYS and ARGV (the rewrite's own come first) and returns the script to run.</summary>
    public string AppendTo(List<RedisKey> redisKeys, List<RedisValue> arguments)
    {
        var keyStart = redisKeys.Count + 1;
        var argumentStart = arguments.Count + 1;
        redisKeys.Add(keys.Datasets(survivorId));
        redisKeys.Add(keys.Counts(survivorId));
        foreach (var (identityId, _) in _merged)
        {
            redisKeys.Add(keys.Datasets(identityId));
            redisKeys.Add(keys.Counts(identityId));
        }

        arguments.Add(_merged.Count);
        arguments.AddRange(_merged.Select(m => (RedisValue)m.Count));
        arguments.Add(_moves.Count);
        foreach (var move in _moves)
        {
            var from = _merged[move.Merged - 1].IdentityId;
            redisKeys.Add(keys.Records(from, move.Name));
            redisKeys.Add(keys.Records(survivorId, move.Target));
            redisKeys.Add(keys.Subscribers(from, move.Name));
            arguments.AddRange([move.Merged, move.Name, move.Target, move.Before, move.After]);
        }

        arguments.Add(keyStart);
        arguments.Add(argumentStart);
        return RedisSyncScripts.RewriteIdentitiesMovingDatasets;
    }
}
