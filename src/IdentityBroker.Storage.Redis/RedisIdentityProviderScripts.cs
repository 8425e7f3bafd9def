namespace IdentityBroker.Storage.Redis;

/// <summary>
/// The scripts of user-pool identity providers, all on one user pool's slot. A provider's document and its
/// IdpIdentifiers (identifier → ProviderName) are written by one script, so an identifier names at most one provider.
/// A stored document's own IdpIdentifiers list says which identifiers an update or delete frees.
/// </summary>
internal static class RedisIdentityProviderScripts
{
    /// <summary>Frees the identifiers the stored document <c>old</c> lists, where they still name provider <c>name</c>.</summary>
    private const string FreeOld = """
        local function free_old(ids, name, old)
          for _, id in ipairs(cjson.decode(old)['IdpIdentifiers'] or {}) do
            if redis.call('HGET', ids, id) == name then redis.call('HDEL', ids, id) end
          end
        end
        local function taken(ids, name, first)
          for i = first, #ARGV do
            local owner = redis.call('HGET', ids, ARGV[i])
            if owner and owner ~= name then return true end
          end
          return false
        end
        """;

    /// <summary>
    /// KEYS: alive, docs, order, seq, identifiers. ARGV: name, document, identifiers…
    /// 1 created; 0 name taken; -1 no pool; -2 an identifier taken.
    /// </summary>
    public const string Create = FreeOld + "\n" + """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
        if taken(KEYS[5], ARGV[1], 3) then return -2 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[1])
        for i = 3, #ARGV do redis.call('HSET', KEYS[5], ARGV[i], ARGV[1]) end
        return 1
        """;

    /// <summary>KEYS: docs, identifiers. ARGV: name, document, identifiers… 1 replaced; 0 missing; -2 an identifier taken.</summary>
    public const string Update = FreeOld + "\n" + """
        local old = redis.call('HGET', KEYS[1], ARGV[1])
        if not old then return 0 end
        if taken(KEYS[2], ARGV[1], 3) then return -2 end
        free_old(KEYS[2], ARGV[1], old)
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        for i = 3, #ARGV do redis.call('HSET', KEYS[2], ARGV[i], ARGV[1]) end
        return 1
        """;

    /// <summary>KEYS: docs, order, identifiers. ARGV: name. 1 when it existed.</summary>
    public const string Delete = FreeOld + "\n" + """
        local old = redis.call('HGET', KEYS[1], ARGV[1])
        if not old then return 0 end
        free_old(KEYS[3], ARGV[1], old)
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        return 1
        """;

    /// <summary>KEYS: docs, identifiers. ARGV: identifier. The document of the provider holding it, or nil.</summary>
    public const string FindByIdentifier = """
        local name = redis.call('HGET', KEYS[2], ARGV[1])
        if not name then return nil end
        return redis.call('HGET', KEYS[1], name)
        """;
}
