namespace IdentityBroker.Storage.Sqlite;

/// <summary>The identity lifecycle (docs/identities.md, "Lifecycle"): each operation one statement, so atomic.</summary>
public sealed partial class SqliteBrokerStore : IIdentityLifecycleStore
{
    // A row of its own keyed by the identity's seq, deleted with the identity (foreign key); only for an identity that exists.
    private const string RecordLastSeenSql =
        "INSERT INTO identity_last_seen (identity_seq, seen) SELECT seq, $seen FROM identities WHERE id = $id "
        + "ON CONFLICT (identity_seq) DO UPDATE SET seen = excluded.seen;";

    private const string LastSeenSql =
        "SELECT COALESCE(s.seen, i.created) FROM identities i LEFT JOIN identity_last_seen s ON s.identity_seq = i.seq WHERE i.id = $id;";

    // Foreign keys cascade to the logins; the conditions are re-checked in the statement, so a login linked meanwhile keeps it.
    private const string DeleteStaleSql =
        "DELETE FROM identities WHERE id = $id "
        + "AND COALESCE((SELECT seen FROM identity_last_seen WHERE identity_seq = identities.seq), created) < $before "
        + "AND ($guestOnly = 0 OR NOT EXISTS (SELECT 1 FROM logins WHERE identity_seq = identities.seq));";

    private const string LeaseSql =
        "INSERT INTO leases (name, holder, expires) VALUES ($name, $holder, $expires) "
        + "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires "
        + "WHERE leases.holder = excluded.holder OR leases.expires <= $now;";

    private const string SaveJobSql =
        "INSERT INTO lifecycle_jobs (id, document) VALUES ($id, $doc) ON CONFLICT (id) DO UPDATE SET document = excluded.document;";

    public Task RecordLastSeenAsync(string identityId, DateTimeOffset seen, CancellationToken cancellationToken) =>
        WriteUncachedAsync((identityId, seen), static async (s, r, ct) =>
        {
            var command = s.Command(RecordLastSeenSql);
            command.Parameters.AddWithValue("$id", r.identityId);
            command.Parameters.AddWithValue("$seen", ToTicks(r.seen));
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    public Task<DateTimeOffset?> GetLastSeenAsync(string identityId, CancellationToken cancellationToken) =>
        ReadAsync(identityId, static async (s, id, ct) =>
        {
            var command = s.Command(LastSeenSql);
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteScalarAsync(ct) is long ticks ? FromTicks(ticks) : (DateTimeOffset?)null;
        }, cancellationToken);

    public Task<bool> DeleteIdentityIfStaleAsync(string identityId, DateTimeOffset seenBefore, bool guestOnly, CancellationToken cancellationToken) =>
        WriteAsync((identityId, seenBefore, guestOnly), static async (s, r, ct) =>
        {
            var command = s.Command(DeleteStaleSql);
            command.Parameters.AddWithValue("$id", r.identityId);
            command.Parameters.AddWithValue("$before", ToTicks(r.seenBefore));
            command.Parameters.AddWithValue("$guestOnly", r.guestOnly);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    public Task<bool> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken) =>
        WriteUncachedAsync((name, holder, now, duration), static async (s, r, ct) =>
        {
            var command = s.Command(LeaseSql);
            command.Parameters.AddWithValue("$name", r.name);
            command.Parameters.AddWithValue("$holder", r.holder);
            command.Parameters.AddWithValue("$expires", ToTicks(r.now + r.duration));
            command.Parameters.AddWithValue("$now", ToTicks(r.now));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    public Task SaveLifecycleJobAsync(string jobId, string document, CancellationToken cancellationToken) =>
        WriteUncachedAsync((jobId, document), static async (s, r, ct) =>
        {
            var command = s.Command(SaveJobSql);
            command.Parameters.AddWithValue("$id", r.jobId);
            command.Parameters.AddWithValue("$doc", r.document);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    public Task<string?> GetLifecycleJobAsync(string jobId, CancellationToken cancellationToken) =>
        ReadAsync(jobId, static async (s, id, ct) =>
        {
            var command = s.Command("SELECT document FROM lifecycle_jobs WHERE id = $id;");
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteScalarAsync(ct) as string;
        }, cancellationToken);
}
