using System.Text.Json;
using IdentityBroker.UserPools.Domains;
using IdentityBroker.UserPools.OAuth;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <remarks>
/// Domains live on the <c>{userpooldomains}</c> slot (by prefix and by pool, created and deleted together by one script).
/// An authorization code is one key on its pool's slot with the code's remaining life as its expiry; taking it is one
/// script (get and delete), so one caller gets it.
/// </remarks>
public sealed partial class RedisBrokerStore : IUserPoolDomainStore, IAuthorizationCodeStore
{
    public Task<DomainCreation> TryCreateDomainAsync(UserPoolDomain domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return GuardAsync(async () => (string?)await Db.ScriptEvaluateAsync(
                OAuthScripts.CreateDomain, [_keys.UserPoolDomains, _keys.UserPoolDomainsByPool],
                [domain.Domain, domain.UserPoolId, JsonSerializer.Serialize(domain, OAuthStoreJsonContext.Default.UserPoolDomain)])
            .ConfigureAwait(false) switch
        {
            "taken" => DomainCreation.DomainTaken,
            "haspool" => DomainCreation.PoolHasDomain,
            _ => DomainCreation.Created,
        });
    }

    public Task<UserPoolDomain?> GetDomainAsync(string domain, CancellationToken cancellationToken) =>
        GuardAsync(async () => DeserializeDomain(await Db.HashGetAsync(_keys.UserPoolDomains, domain).ConfigureAwait(false)));

    public Task<UserPoolDomain?> GetDomainOfPoolAsync(string userPoolId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var domain = await Db.HashGetAsync(_keys.UserPoolDomainsByPool, userPoolId).ConfigureAwait(false);
            return domain.IsNull ? null : DeserializeDomain(await Db.HashGetAsync(_keys.UserPoolDomains, (string)domain!).ConfigureAwait(false));
        });

    public Task<bool> UpdateDomainAsync(UserPoolDomain domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            OAuthScripts.UpdateDomain, [_keys.UserPoolDomains, _keys.UserPoolDomainsByPool],
            [domain.Domain, domain.UserPoolId, JsonSerializer.Serialize(domain, OAuthStoreJsonContext.Default.UserPoolDomain)]).ConfigureAwait(false) == 1);
    }

    public Task<bool> DeleteDomainAsync(string domain, string userPoolId, CancellationToken cancellationToken) =>
        GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            OAuthScripts.DeleteDomain, [_keys.UserPoolDomains, _keys.UserPoolDomainsByPool], [domain, userPoolId]).ConfigureAwait(false) == 1);

    public Task PutAuthorizationCodeAsync(AuthorizationCode code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var life = code.ExpiresAt - now;
        if (life <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        var keys = _keys.UserPool(code.UserPoolId);
        return GuardAsync(() => Db.ScriptEvaluateAsync(OAuthScripts.PutCode, [keys.Alive, keys.AuthorizationCode(code.CodeHash)],
            [JsonSerializer.Serialize(code, OAuthStoreJsonContext.Default.AuthorizationCode), (long)Math.Ceiling(life.TotalMilliseconds)]));
    }

    public Task<AuthorizationCode?> TakeAuthorizationCodeAsync(string userPoolId, string codeHash, CancellationToken cancellationToken)
    {
        var key = _keys.UserPool(userPoolId).AuthorizationCode(codeHash);
        return GuardAsync(async () =>
        {
            var document = (string?)await Db.ScriptEvaluateAsync(OAuthScripts.TakeCode, [key]).ConfigureAwait(false);
            return document is null ? null : JsonSerializer.Deserialize(document, OAuthStoreJsonContext.Default.AuthorizationCode);
        });
    }

    private static UserPoolDomain? DeserializeDomain(RedisValue document) =>
        document.IsNull ? null : JsonSerializer.Deserialize((string)document!, OAuthStoreJsonContext.Default.UserPoolDomain);
}

/// <summary>The domain and authorization-code scripts. Checks come before writes.</summary>
internal static class OAuthScripts
{
    /// <summary>KEYS: domains, by pool. ARGV: domain, pool id, document. 'taken', 'haspool' or 'created'.</summary>
    public const string CreateDomain = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 'taken' end
        if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 'haspool' end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
        redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
        return 'created'
        """;

    /// <summary>KEYS: domains, by pool. ARGV: domain, pool id, document. 1 when the pool's domain is this one and was replaced.</summary>
    public const string UpdateDomain = """
        if redis.call('HGET', KEYS[2], ARGV[2]) ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
        return 1
        """;

    /// <summary>KEYS: domains, by pool. ARGV: domain, pool id. 1 when the pool's domain was this one and is deleted.</summary>
    public const string DeleteDomain = """
        if redis.call('HGET', KEYS[2], ARGV[2]) ~= ARGV[1] then return 0 end
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[2])
        return 1
        """;

    /// <summary>KEYS: the pool's alive marker, the code. ARGV: document, life (ms). Stores nothing for a deleted pool.</summary>
    public const string PutCode = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    /// <summary>KEYS: the code. Its document, deleted in the same step; nil when there is none.</summary>
    public const string TakeCode = """
        local v = redis.call('GET', KEYS[1])
        if v then redis.call('DEL', KEYS[1]) end
        return v
        """;
}
