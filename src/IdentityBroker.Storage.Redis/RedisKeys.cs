using System.Collections.Concurrent;
using System.Text;
using IdentityBroker.Identities;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// The key layout. Every key one atomic operation touches shares a hash tag, so each script runs on one
/// Redis Cluster slot: <c>{pools}</c> (pool documents and their listing order), <c>{pool:&lt;id&gt;}</c> (a pool's
/// identities, logins and counters), <c>{identity:&lt;id&gt;}</c> (which pool an identity id lives in), <c>{keys}</c>,
/// <c>{iam}</c>, <c>{userpools}</c> (Cognito user-pool documents and their listing order) and <c>{userpool:&lt;id&gt;}</c>
/// (a user pool's app clients, users, one-time codes and sign-in sessions).
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public const string MembersSuffix = ":members";

    public const string GroupsSuffix = ":groups";

    public RedisKey PoolDocuments { get; } = $"{prefix}:{{pools}}:docs";

    public RedisKey PoolOrder { get; } = $"{prefix}:{{pools}}:order";

    public RedisKey PoolSequence { get; } = $"{prefix}:{{pools}}:seq";

    public RedisKey UserPoolDocuments { get; } = $"{prefix}:{{userpools}}:docs";

    public RedisKey UserPoolOrder { get; } = $"{prefix}:{{userpools}}:order";

    public RedisKey UserPoolSequence { get; } = $"{prefix}:{{userpools}}:seq";

    public RedisKey KeyPurposes { get; } = $"{prefix}:{{keys}}:ids";

    public RedisKey Roles { get; } = $"{prefix}:{{iam}}:roles";

    public RedisKey OidcProviders { get; } = $"{prefix}:{{iam}}:oidc";

    public RedisKey SamlProviders { get; } = $"{prefix}:{{iam}}:saml";

    /// <summary>The audit trail: one Stream, capped (XADD MAXLEN ~), entry ids from the events' times (docs/audit.md).</summary>
    public RedisKey AuditEvents { get; } = $"{prefix}:{{audit}}:events";

    /// <summary>Hash of SAML assertion key to its first use (replay protection).</summary>
    public RedisKey SamlUses { get; } = $"{prefix}:{{saml}}:uses";

    /// <summary>Sorted set of SAML assertion keys by RetainUntil (Unix ms), to forget expired records.</summary>
    public RedisKey SamlRetention { get; } = $"{prefix}:{{saml}}:retention";

    /// <summary>Hash: revocation id → revocation document (docs/revocation.md).</summary>
    public RedisKey Revocations { get; } = $"{prefix}:{{revocations}}:docs";

    /// <summary>Hash of user-pool domain prefix to its document, and hash of pool id to its domain prefix (one slot: created together).</summary>
    public RedisKey UserPoolDomains { get; } = $"{prefix}:{{userpooldomains}}:docs";

    public RedisKey UserPoolDomainsByPool { get; } = $"{prefix}:{{userpooldomains}}:bypool";

    /// <summary>Pub/sub channel of pool ids updated or deleted (pub/sub is cluster-wide, no slot).</summary>
    public string PoolChangesChannel { get; } = $"{prefix}:pool-changes";

    /// <summary>One rate-limit counter (docs/limits.md) for one window; each on its own slot, it expires after its window.</summary>
    public RedisKey RateCounter(string key, long window) => $"{prefix}:{{rate:{key}}}:{window}";

    /// <summary>A lease (<c>holder|expiry ticks</c>): one replica at a time runs the identity sweeper (docs/identities.md).</summary>
    public RedisKey Lease(string name) => $"{prefix}:{{lifecycle}}:lease:{name}";

    /// <summary>Hash of lifecycle job id (bulk deletions) to its document: condition, cursor, counts.</summary>
    public RedisKey LifecycleJobs { get; } = $"{prefix}:{{lifecycle}}:jobs";

    /// <summary>Set of pool ids whose bulk publish may be IN_PROGRESS: a hint to resume, each checked against the pool's job.</summary>
    public RedisKey SyncBulkPublishesRunning { get; } = $"{prefix}:{{syncbulk}}:running";

    /// <summary>Hash: a pool's bulk publish (status, times, cursor, count), in the pool's slot beside its sync stream.</summary>
    public RedisKey SyncBulkPublish(string poolId) => $"{prefix}:{{pool:{poolId}}}:sync:bulk";

    public RedisKey KeysOf(string purpose) => $"{prefix}:{{keys}}:purpose:{purpose}";

    public RedisKey IdentityIndex(string identityId) => $"{prefix}:{{identity:{identityId}}}:pool";

    /// <summary>
    /// The pool id of a user-pool client (its own slot): a hint written after the client, checked against the pool's own
    /// client hash on every read, so a stale entry (client or pool deleted) finds nothing.
    /// </summary>
    public RedisKey UserPoolClientIndex(string clientId) => $"{prefix}:{{userpoolclient:{clientId}}}:pool";

    public UserPoolKeys UserPool(string userPoolId) => new($"{prefix}:{{userpool:{userPoolId}}}:");

    /// <summary>Pools whose keys were built: they are immutable, and every identity read would otherwise build nine strings.</summary>
    internal const int MaxCachedPools = 1024;

    private readonly ConcurrentDictionary<string, PoolKeys> _pools = new(StringComparer.Ordinal);

    /// <summary>The keys of a pool's slot, built once per pool id (bounded: at the limit it starts over).</summary>
    public PoolKeys Pool(string poolId)
    {
        if (_pools.TryGetValue(poolId, out var cached))
        {
            return cached;
        }

        if (_pools.Count >= MaxCachedPools)
        {
            _pools.Clear();
        }

        var keys = new PoolKeys($"{prefix}:{{pool:{poolId}}}:");
        _pools[poolId] = keys;
        return keys;
    }

    /// <summary>
    /// What comes before and after the pool id in <see cref="Pool"/>'s keys: a script that reads the pool id from the id
    /// index builds that pool's keys from these (one Redis node only, see <see cref="RedisScripts.ReadIndexedIdentity"/>).
    /// </summary>
    public (string Head, string Tail) PoolSlotPattern { get; } = ($"{prefix}:{{pool:", "}:");

    /// <summary>A pool's Cognito Sync keys, in the pool's slot so one script can write a dataset and the pool's stream.</summary>
    public SyncKeys Sync(string poolId) => new($"{prefix}:{{pool:{poolId}}}:sync:");

    /// <summary>
    /// The field of a login in a pool's login hash. The provider is length-prefixed (in UTF-8 bytes, as Lua's
    /// <c>string.len</c> counts) so that no provider/subject pair can collide with another.
    /// </summary>
    public static string LoginField(LoginKey login) =>
        $"{Encoding.UTF8.GetByteCount(login.Provider)}:{login.Provider}{login.Subject}";
}

/// <summary>The keys of one pool's slot.</summary>
internal sealed class PoolKeys(string slotPrefix)
{
    /// <summary>Present while the pool exists: identity scripts refuse to write into a pool without it.</summary>
    public RedisKey Alive { get; } = slotPrefix + "alive";

    public RedisKey Sequence { get; } = slotPrefix + "seq";

    /// <summary>Sorted set of every identity id by its creation position (the listing order).</summary>
    public RedisKey Identities { get; } = slotPrefix + "ids";

    /// <summary>The same, for identities that are not disabled (ListIdentities with HideDisabled).</summary>
    public RedisKey Enabled { get; } = slotPrefix + "enabled";

    /// <summary>
    /// Set of the ids of the pool's guests (no login, not disabled), kept by every identity script, so that
    /// MaxGuestIdentities is one SCARD (docs/limits.md, "Per-pool limits").
    /// </summary>
    public RedisKey Guests { get; } = slotPrefix + "guests";

    /// <summary>Hash of <see cref="RedisKeys.LoginField"/> to the owning identity id.</summary>
    public RedisKey Logins { get; } = slotPrefix + "logins";

    /// <summary>Scripts derive identity keys from this prefix; they share the pool's hash tag.</summary>
    public string IdentityPrefix { get; } = slotPrefix + "identity:";

    public RedisKey Identity(string identityId) => IdentityPrefix + identityId;
}

/// <summary>The keys of one user pool's slot: its liveness marker, its app clients and its users.</summary>
internal sealed class UserPoolKeys(string slotPrefix)
{
    public RedisKey Alive { get; } = slotPrefix + "alive";

    public RedisKey ClientDocuments { get; } = slotPrefix + "clients:docs";

    public RedisKey ClientOrder { get; } = slotPrefix + "clients:order";

    public RedisKey ClientSequence { get; } = slotPrefix + "clients:seq";

    /// <summary>Hash of user sub to its document (docs/user-pools.md, "Users").</summary>
    public RedisKey UserDocuments { get; } = slotPrefix + "users:docs";

    /// <summary>Sorted set of user subs by creation position (ListUsers' order), and its counter.</summary>
    public RedisKey UserOrder { get; } = slotPrefix + "users:order";

    public RedisKey UserSequence { get; } = slotPrefix + "users:seq";

    /// <summary>Hash of unique key (username, sign-in attribute) to the sub holding it.</summary>
    public RedisKey UserKeys { get; } = slotPrefix + "users:keys";

    /// <summary>Hash of sub to the JSON array of the keys it holds, so that an update or delete frees exactly those.</summary>
    public RedisKey UserClaims { get; } = slotPrefix + "users:claims";

    /// <summary>Hash of sub to the stored version (compare-and-swap).</summary>
    public RedisKey UserVersions { get; } = slotPrefix + "users:versions";

    /// <summary>Hash of a code key to <c>expires|code id|salt|hash</c> (hex), and its attempts left and expiry order (one-time codes).</summary>
    public RedisKey Codes { get; } = slotPrefix + "codes";

    public RedisKey CodeAttempts { get; } = slotPrefix + "codes:attempts";

    public RedisKey CodeExpiry { get; } = slotPrefix + "codes:expiry";

    /// <summary>One OAuth authorization code's document by the code's hash; it expires with the code.</summary>
    public RedisKey AuthorizationCode(string codeHash) => slotPrefix + "oauth-code:" + codeHash;

    /// <summary>Resource servers by identifier: documents, listing order, counter.</summary>
    public RedisKey ResourceServerDocuments { get; } = slotPrefix + "resource-servers:docs";

    public RedisKey ResourceServerOrder { get; } = slotPrefix + "resource-servers:order";

    public RedisKey ResourceServerSequence { get; } = slotPrefix + "resource-servers:seq";
    /// <summary>Hash of a normalized name that matches no user to <c>expires|failures</c>, and its expiry order (failed sign-ins of unknown names).</summary>
    public RedisKey SignInFailures { get; } = slotPrefix + "signin-failures";

    public RedisKey SignInFailureExpiry { get; } = slotPrefix + "signin-failures:expiry";

    /// <summary>Hash of one sign-in session (fields doc, revoked); it expires with the session's refresh token.</summary>
    public RedisKey Session(string sessionId) => SessionPrefix + sessionId;

    /// <summary>Scripts derive session keys from this prefix (same hash tag as the pool's other keys).</summary>
    public string SessionPrefix { get; } = slotPrefix + "session:";

    /// <summary>Sorted set of a user's session ids by expiry (Unix ms), for GlobalSignOut.</summary>
    public RedisKey UserSessions(string sub) => slotPrefix + "user-sessions:" + sub;

    /// <summary>Hash of client id (or ALL) to its hosted UI customization document (SetUICustomization).</summary>
    public RedisKey UiCustomizations { get; } = slotPrefix + "ui:docs";

    /// <summary>Groups by <c>GroupNames.Key</c>: documents, listing order, counter; and the counter of memberships.</summary>
    public RedisKey GroupDocuments { get; } = slotPrefix + "groups:docs";

    public RedisKey GroupOrder { get; } = slotPrefix + "groups:order";

    public RedisKey GroupSequence { get; } = slotPrefix + "groups:seq";

    public RedisKey MemberSequence { get; } = slotPrefix + "members:seq";

    /// <summary>Scripts build <c>group:&lt;key&gt;:members</c> (members by position) and <c>member:&lt;member&gt;:groups</c> (group keys by position) from these.</summary>
    public string GroupMembersPrefix { get; } = slotPrefix + "group:";

    public string MemberGroupsPrefix { get; } = slotPrefix + "member:";

    public RedisKey GroupMembers(string groupKey) => GroupMembersPrefix + groupKey + RedisKeys.MembersSuffix;

    public RedisKey MemberGroups(string member) => MemberGroupsPrefix + member + RedisKeys.GroupsSuffix;

    /// <summary>Identity providers by exact ProviderName: documents, listing order, counter; and IdpIdentifier → ProviderName.</summary>
    public RedisKey ProviderDocuments { get; } = slotPrefix + "idps:docs";

    public RedisKey ProviderOrder { get; } = slotPrefix + "idps:order";

    public RedisKey ProviderSequence { get; } = slotPrefix + "idps:seq";

    public RedisKey ProviderIdentifiers { get; } = slotPrefix + "idps:identifiers";

    /// <summary>Hash of SessionIndex to <c>expires|sub</c>: one NameID's SAML sessions at one provider (the name is a hash of both).</summary>
    public RedisKey SamlSessions(string providerAndNameIdHash) => slotPrefix + "saml-sessions:" + providerAndNameIdHash;

    /// <summary>The UTC ticks of the user's latest hosted sign-out by single logout (the name is a hash of the sub).</summary>
    public RedisKey HostedSignOut(string subHash) => slotPrefix + "hosted-signout:" + subHash;
}

/// <summary>
/// Cognito Sync's keys in one pool's slot (docs/sync.md): per identity a hash of dataset documents and a hash of their sync
/// counts (what scripts compare), per dataset a hash of record documents and a set of subscribed device ids; per pool the
/// settings, the streaming flag scripts test, the usage counters and the stream.
/// </summary>
internal sealed class SyncKeys(string slotPrefix)
{
    public RedisKey Settings { get; } = slotPrefix + "settings";

    /// <summary>Present while the pool's Cognito Streams are ENABLED.</summary>
    public RedisKey Streaming { get; } = slotPrefix + "streaming";

    /// <summary>Hash: <c>storage</c> (bytes of every dataset), <c>modified</c> (latest write, UTC ticks), <c>sessions</c> (sync sessions).</summary>
    public RedisKey Usage { get; } = slotPrefix + "usage";

    /// <summary>The pool's sync stream (a Redis Stream; field <c>change</c> holds the SyncChange JSON).</summary>
    public RedisKey Stream { get; } = slotPrefix + "stream";

    public RedisKey Datasets(string identityId) => slotPrefix + "ds:" + identityId;

    public RedisKey Counts(string identityId) => slotPrefix + "count:" + identityId;

    /// <summary>Hash: dataset name → the sync count it had when last deleted.</summary>
    public RedisKey Deleted(string identityId) => slotPrefix + "deleted:" + identityId;

    public RedisKey Devices(string identityId) => slotPrefix + "dev:" + identityId;

    // The identity id is length-prefixed so no (identity, dataset) pair's key collides with another's.
    public RedisKey Records(string identityId, string datasetName) => slotPrefix + $"rec:{identityId.Length}:{identityId}:{datasetName}";

    public RedisKey Subscribers(string identityId, string datasetName) => slotPrefix + $"sub:{identityId.Length}:{identityId}:{datasetName}";
}
