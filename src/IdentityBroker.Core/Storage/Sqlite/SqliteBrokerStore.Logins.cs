using IdentityBroker.Identities;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore
{
    private const string LoginOwnerSql =
        "SELECT identity_id FROM logins WHERE pool_id = $pool AND provider = $provider AND subject = $subject;";

    private const string IdentityPoolSql = "SELECT pool_id FROM identities WHERE id = $id;";
    private const string TouchIdentitySql = "UPDATE identities SET modified = $modified WHERE id = $id;";

    /// <summary>
    /// Looks up, decides (<see cref="LoginLinkRules"/>) and writes in one write transaction; writers are serialized,
    /// so no other call can link one of these logins between the look-up and the write.
    /// </summary>
    public Task<LoginResolution> ResolveLoginsAsync(
        Identity candidate, IReadOnlyList<LoginKey> logins, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(logins);
        var request = new LoginRequest(candidate, LoginLinkRules.Distinct(logins), now);
        return WriteAsync(request, static (s, r, ct) => ResolveAsync(s, r, ct), cancellationToken);
    }

    private static async Task<LoginResolution> ResolveAsync(SqliteSession s, LoginRequest request, CancellationToken ct)
    {
        var poolId = request.Candidate.IdentityPoolId;
        var owners = new Dictionary<LoginKey, string>();
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
            LoginLinkTarget.LinkTo link => await LinkAsync(s, link.IdentityId, poolId, unknown, request.Now, ct),
            _ => await CreateAsync(s, request.Candidate, unknown, ct),
        };
    }

    private static async Task<LoginResolution> CreateAsync(
        SqliteSession s, Identity candidate, List<LoginKey> logins, CancellationToken ct)
    {
        if (LoginLinkRules.FindProviderClash([], logins) is { } clash)
        {
            return Conflict(clash);
        }

        await InsertIdentityAsync(s, candidate, logins, ct);
        return new LoginResolution(LoginResolutionKind.Created, await SelectIdentityAsync(s, candidate.IdentityId, ct));
    }

    private static async Task<LoginResolution> LinkAsync(
        SqliteSession s, string identityId, string poolId, List<LoginKey> unknown, DateTimeOffset now, CancellationToken ct)
    {
        var owner = await SelectIdentityAsync(s, identityId, ct)
            ?? throw new InvalidOperationException($"Identity '{identityId}' vanished inside a write transaction.");
        if (unknown.Count == 0)
        {
            return new LoginResolution(LoginResolutionKind.Existing, owner);
        }

        if (LoginLinkRules.FindProviderClash(owner.Logins, unknown) is { } clash)
        {
            return Conflict(clash);
        }

        foreach (var login in unknown)
        {
            // Cannot fail: the login was looked up as unlinked in this same write transaction.
            await InsertLoginAsync(s, poolId, login, identityId, ct);
        }

        var touch = s.Command(TouchIdentitySql);
        touch.Parameters.AddWithValue("$id", identityId);
        touch.Parameters.AddWithValue("$modified", ToTicks(now));
        await touch.ExecuteNonQueryAsync(ct);
        return new LoginResolution(LoginResolutionKind.Existing, await SelectIdentityAsync(s, identityId, ct));
    }

    private static async Task<string?> FindOwnerAsync(SqliteSession s, string poolId, LoginKey login, CancellationToken ct)
    {
        var command = s.Command(LoginOwnerSql);
        command.Parameters.AddWithValue("$pool", poolId);
        command.Parameters.AddWithValue("$provider", login.Provider);
        command.Parameters.AddWithValue("$subject", login.Subject);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private static async Task<string?> FindIdentityPoolAsync(SqliteSession s, string identityId, CancellationToken ct)
    {
        var command = s.Command(IdentityPoolSql);
        command.Parameters.AddWithValue("$id", identityId);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private static LoginResolution Conflict(string reason) => new(LoginResolutionKind.Conflict, null, reason);

    private sealed record LoginRequest(Identity Candidate, IReadOnlyList<LoginKey> Logins, DateTimeOffset Now);
}
