using IdentityBroker.Identities;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore
{
    private const string LoginOwnerSql =
        "SELECT i.id, i.created FROM logins l JOIN identities i ON i.seq = l.identity_seq "
        + "WHERE l.pool_seq = (SELECT seq FROM pools WHERE id = $pool) AND l.provider = $provider AND l.subject = $subject;";

    // The identity that owns the login, with its logins, unless a stored candidate other than that owner exists (then
    // the logins would merge it, a write). One statement, so one snapshot.
    private const string OwnedLoginSql =
        "SELECT i.seq, i.id, i.pool_id, i.created, i.modified, i.disabled, l.provider, l.subject "
        + "FROM identities i LEFT JOIN logins l ON l.identity_seq = i.seq "
        + "WHERE i.seq = (SELECT identity_seq FROM logins WHERE pool_seq = (SELECT seq FROM pools WHERE id = $pool) AND provider = $provider AND subject = $subject) "
        + "AND NOT EXISTS (SELECT 1 FROM identities c WHERE c.id = $candidate AND c.seq <> i.seq) ORDER BY l.linked;";

    private const string IdentityPoolSql = "SELECT pool_id FROM identities WHERE id = $id;";
    private const string TouchIdentitySql = "UPDATE identities SET modified = $modified WHERE id = $id;";
    // The merged identity's logins follow the owner's, in their own order.
    private const string MoveLoginsSql =
        "UPDATE logins SET identity_seq = (SELECT seq FROM identities WHERE id = $owner), "
        + "linked = linked + (SELECT COALESCE(MAX(o.linked), 0) FROM logins o JOIN identities i ON i.seq = o.identity_seq WHERE i.id = $owner) "
        + "WHERE identity_seq = (SELECT seq FROM identities WHERE id = $merged);";
    private const string DisableIdentitySql = "UPDATE identities SET disabled = 1, modified = $modified WHERE id = $id;";

    /// <summary>
    /// Looks up, decides (<see cref="LoginLinkRules"/>) and writes in one write transaction; writers are serialized,
    /// so no other call can link one of these logins between the look-up and the write. The common case of GetId for
    /// a returning user — one login, already linked, nothing to write — is answered from a read-only connection.
    /// </summary>
    public async Task<LoginResolution> ResolveLoginsAsync(
        Identity candidate, IReadOnlyList<LoginKey> logins, LinkPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(logins);
        ArgumentNullException.ThrowIfNull(policy);
        var request = new LoginRequest(candidate, LoginLinkRules.Distinct(logins), policy, now);
        if (request.Logins.Count == 1
            && await ReadAsync(request, static (s, r, ct) => FindOwnedAsync(s, r, ct), cancellationToken) is { } owner)
        {
            return new LoginResolution(LoginResolutionKind.Existing, owner);
        }

        return await WriteAsync(request, static (s, r, ct) => ResolveAsync(s, r, ct), cancellationToken);
    }

    public Task<string?> FindLoginOwnerAsync(string poolId, LoginKey login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(login);
        return ReadAsync((poolId, login), static async (s, r, ct) => (await FindOwnerAsync(s, r.poolId, r.login, ct))?.IdentityId, cancellationToken);
    }

    /// <summary>
    /// The owner of the only login when the write path would decide <see cref="LoginLinkTarget.LinkTo"/> that owner
    /// with nothing to link: the login is linked, and the candidate is not stored or is that owner
    /// (<see cref="LoginLinkRules.ChooseTarget"/>). Null sends the request to the write path, which decides afresh.
    /// </summary>
    private static async Task<Identity?> FindOwnedAsync(SqliteSession s, LoginRequest request, CancellationToken ct)
    {
        var login = request.Logins[0];
        var command = s.Command(OwnedLoginSql);
        command.Parameters.AddWithValue("$pool", request.Candidate.IdentityPoolId);
        command.Parameters.AddWithValue("$provider", login.Provider);
        command.Parameters.AddWithValue("$subject", login.Subject);
        command.Parameters.AddWithValue("$candidate", request.Candidate.IdentityId);
        var rows = await ReadIdentitiesAsync(command, ct);
        return rows.Count == 0 ? null : rows[0].Identity;
    }

    private static async Task<LoginResolution> ResolveAsync(SqliteSession s, LoginRequest request, CancellationToken ct)
    {
        var poolId = request.Candidate.IdentityPoolId;
        var owners = new Dictionary<LoginKey, LoginOwner>();
        foreach (var login in request.Logins)
        {
            if (await FindOwnerAsync(s, poolId, login, ct) is { } owner)
            {
                owners[login] = owner;
            }
        }

        var storedPool = await FindIdentityPoolAsync(s, request.Candidate.IdentityId, ct);
        var unknown = request.Logins.Where(l => !owners.ContainsKey(l)).ToList();
        return LoginLinkRules.ChooseTarget(request.Candidate, storedPool, owners.Values) switch
        {
            LoginLinkTarget.Refuse refuse => Conflict(refuse.Reason),
            LoginLinkTarget.LinkTo link => await LinkAsync(s, link.IdentityId, poolId, unknown, request, ct),
            LoginLinkTarget.Merge merge => await MergeAsync(s, merge, poolId, unknown, request, ct),
            _ => await CreateAsync(s, request.Candidate, unknown, request.Policy, ct),
        };
    }

    private static async Task<LoginResolution> CreateAsync(
        SqliteSession s, Identity candidate, List<LoginKey> logins, LinkPolicy policy, CancellationToken ct)
    {
        if (LoginLinkRules.CheckCombined([], logins, policy) is { } clash)
        {
            return Conflict(clash);
        }

        await InsertIdentityAsync(s, candidate, logins, ct);
        return new LoginResolution(LoginResolutionKind.Created, await SelectIdentityAsync(s, candidate.IdentityId, ct));
    }

    private static async Task<LoginResolution> LinkAsync(
        SqliteSession s, string identityId, string poolId, List<LoginKey> unknown, LoginRequest request, CancellationToken ct)
    {
        var owner = await RequireIdentityAsync(s, identityId, ct);
        if (unknown.Count == 0)
        {
            return new LoginResolution(LoginResolutionKind.Existing, owner);
        }

        if (LoginLinkRules.CheckCombined(owner.Logins, unknown, request.Policy) is { } clash)
        {
            return Conflict(clash);
        }

        await InsertLoginsAsync(s, poolId, unknown, identityId, ct);
        await TouchAsync(s, identityId, request.Now, ct);
        return new LoginResolution(LoginResolutionKind.Existing, await SelectIdentityAsync(s, identityId, ct));
    }

    /// <summary>Checks the combined logins first, so a refused merge writes nothing.</summary>
    private static async Task<LoginResolution> MergeAsync(
        SqliteSession s, LoginLinkTarget.Merge merge, string poolId, List<LoginKey> unknown, LoginRequest request, CancellationToken ct)
    {
        var owner = await RequireIdentityAsync(s, merge.OwnerId, ct);
        var joining = new List<LoginKey>();
        foreach (var mergedId in merge.Merged)
        {
            joining.AddRange((await RequireIdentityAsync(s, mergedId, ct)).Logins);
        }

        joining.AddRange(unknown);
        if (LoginLinkRules.CheckCombined(owner.Logins, joining, request.Policy) is { } clash)
        {
            return Conflict(clash);
        }

        foreach (var mergedId in merge.Merged)
        {
            await MoveLoginsAndDisableAsync(s, mergedId, owner.IdentityId, request.Now, ct);
        }

        await InsertLoginsAsync(s, poolId, unknown, owner.IdentityId, ct);
        await TouchAsync(s, owner.IdentityId, request.Now, ct);
        return new LoginResolution(LoginResolutionKind.Merged, await SelectIdentityAsync(s, owner.IdentityId, ct), null, merge.Merged);
    }

    private static async Task MoveLoginsAndDisableAsync(SqliteSession s, string mergedId, string ownerId, DateTimeOffset now, CancellationToken ct)
    {
        var move = s.Command(MoveLoginsSql);
        move.Parameters.AddWithValue("$owner", ownerId);
        move.Parameters.AddWithValue("$merged", mergedId);
        await move.ExecuteNonQueryAsync(ct);
        await DisableAsync(s, mergedId, now, ct);
        await MoveSyncDatasetsAsync(s, mergedId, ownerId, ct); // in the merge's transaction: both or neither (docs/sync.md)
    }

    private static async Task<bool> DisableAsync(SqliteSession s, string identityId, DateTimeOffset now, CancellationToken ct)
    {
        var disable = s.Command(DisableIdentitySql);
        disable.Parameters.AddWithValue("$id", identityId);
        disable.Parameters.AddWithValue("$modified", ToTicks(now));
        return await disable.ExecuteNonQueryAsync(ct) == 1;
    }

    private static async Task InsertLoginsAsync(SqliteSession s, string poolId, List<LoginKey> logins, string identityId, CancellationToken ct)
    {
        foreach (var login in logins)
        {
            // Cannot fail: the login was looked up as unlinked in this same write transaction.
            await InsertLoginAsync(s, poolId, login, identityId, ct);
        }
    }

    private static async Task TouchAsync(SqliteSession s, string identityId, DateTimeOffset now, CancellationToken ct)
    {
        var touch = s.Command(TouchIdentitySql);
        touch.Parameters.AddWithValue("$id", identityId);
        touch.Parameters.AddWithValue("$modified", ToTicks(now));
        await touch.ExecuteNonQueryAsync(ct);
    }

    private static async Task<Identity> RequireIdentityAsync(SqliteSession s, string identityId, CancellationToken ct) =>
        await SelectIdentityAsync(s, identityId, ct)
            ?? throw new InvalidOperationException($"Identity '{identityId}' vanished inside a write transaction.");

    private static async Task<LoginOwner?> FindOwnerAsync(SqliteSession s, string poolId, LoginKey login, CancellationToken ct)
    {
        var command = s.Command(LoginOwnerSql);
        command.Parameters.AddWithValue("$pool", poolId);
        command.Parameters.AddWithValue("$provider", login.Provider);
        command.Parameters.AddWithValue("$subject", login.Subject);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new LoginOwner(reader.GetString(0), FromTicks(reader.GetInt64(1))) : null;
    }

    private static async Task<string?> FindIdentityPoolAsync(SqliteSession s, string identityId, CancellationToken ct)
    {
        var command = s.Command(IdentityPoolSql);
        command.Parameters.AddWithValue("$id", identityId);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private static LoginResolution Conflict(string reason) => new(LoginResolutionKind.Conflict, null, reason);

    private sealed record LoginRequest(Identity Candidate, IReadOnlyList<LoginKey> Logins, LinkPolicy Policy, DateTimeOffset Now);
}
