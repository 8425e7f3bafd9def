namespace IdentityBroker.Storage.Sqlite;

/// <summary>
/// The schema as an ordered list of migrations; schema_version records how many have been applied, so opening an
/// existing file applies only the new ones and opening it twice changes nothing.
/// </summary>
internal static class SqliteSchema
{
    // Pools and identities are ordered by seq, an AUTOINCREMENT integer: never reused, never changed by VACUUM
    // (unlike an implicit rowid), so a NextToken holding the last seq stays valid when items are deleted, and
    // items created during a listing appear at its end. The id stays the natural key (UNIQUE, referenced by FKs).
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE pools (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            document TEXT NOT NULL,
            created INTEGER NOT NULL
        );
        CREATE TABLE identities (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
            created INTEGER NOT NULL,
            modified INTEGER NOT NULL,
            disabled INTEGER NOT NULL
        );
        CREATE INDEX identities_by_pool ON identities(pool_id, seq);
        CREATE TABLE logins (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            pool_id TEXT NOT NULL,
            provider TEXT NOT NULL,
            subject TEXT NOT NULL,
            identity_id TEXT NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
            UNIQUE (pool_id, provider, subject)
        );
        CREATE INDEX logins_by_identity ON logins(identity_id);
        CREATE TABLE keys (
            key_id TEXT PRIMARY KEY,
            purpose TEXT NOT NULL,
            material TEXT NOT NULL,
            created INTEGER NOT NULL
        );
        CREATE INDEX keys_by_purpose ON keys(purpose, created);
        CREATE TABLE iam_roles (
            name TEXT PRIMARY KEY,
            document TEXT NOT NULL
        );
        CREATE TABLE oidc_providers (
            arn TEXT PRIMARY KEY,
            document TEXT NOT NULL
        );
        """,
        // IAM SAML providers, and the replay records of SAML assertions (docs/saml.md).
        """
        CREATE TABLE saml_providers (
            arn TEXT PRIMARY KEY,
            document TEXT NOT NULL
        );
        CREATE TABLE saml_assertion_uses (
            key TEXT PRIMARY KEY,
            binding TEXT NOT NULL,
            valid_until INTEGER NOT NULL,
            one_time_use INTEGER NOT NULL,
            retain_until INTEGER NOT NULL
        );
        CREATE INDEX saml_assertion_uses_by_retention ON saml_assertion_uses(retain_until);
        """,
        // Cognito user pools and their app clients (docs/user-pools.md), listed by seq as the identity pools are.
        """
        CREATE TABLE user_pools (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            document TEXT NOT NULL
        );
        CREATE TABLE user_pool_clients (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            pool_id TEXT NOT NULL,
            client_id TEXT NOT NULL,
            document TEXT NOT NULL,
            UNIQUE (pool_id, client_id)
        );
        """,
        // The users of the user pools (docs/user-pools.md, "Users"), listed by seq; user_keys holds each user's unique
        // keys (username, sign-in attributes), claimed in the transaction that writes the user.
        """
        CREATE TABLE users (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            pool_id TEXT NOT NULL,
            sub TEXT NOT NULL,
            version INTEGER NOT NULL,
            document TEXT NOT NULL,
            UNIQUE (pool_id, sub)
        );
        CREATE TABLE user_keys (
            pool_id TEXT NOT NULL,
            key TEXT NOT NULL,
            sub TEXT NOT NULL,
            PRIMARY KEY (pool_id, key)
        );
        CREATE INDEX user_keys_by_user ON user_keys(pool_id, sub);
        """,
        // One-time codes of user pools (docs/user-pools.md, "Messages and codes"): one per pool and key, stored hashed.
        """
        CREATE TABLE user_pool_codes (
            pool_id TEXT NOT NULL,
            code_key TEXT NOT NULL,
            code_id TEXT NOT NULL,
            salt BLOB NOT NULL,
            hash BLOB NOT NULL,
            expires INTEGER NOT NULL,
            attempts_left INTEGER NOT NULL,
            PRIMARY KEY (pool_id, code_key)
        );
        CREATE INDEX user_pool_codes_by_expiry ON user_pool_codes(expires);
        """,
        // User-pool sign-in sessions (docs/user-pools.md, "Tokens"): one per sign-in, by pool and origin_jti; revoked and
        // expiry are columns so GlobalSignOut and the purge of a user's expired sessions need not read documents.
        """
        CREATE TABLE user_pool_sessions (
            pool_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            sub TEXT NOT NULL,
            expires INTEGER NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0,
            document TEXT NOT NULL,
            PRIMARY KEY (pool_id, session_id)
        );
        CREATE INDEX user_pool_sessions_by_user ON user_pool_sessions(pool_id, sub);
        """,
        // User-pool groups and their members (docs/user-pools.md, "Groups and roles"). Keyed by the upper-cased name
        // (GroupNames.Key); both go with their pool, and members with their group, by cascade;
        // a member is a user's sub, and the trigger drops the memberships of a deleted user.
        """
        CREATE TABLE user_pool_groups (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            pool_id TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
            name_key TEXT NOT NULL,
            document TEXT NOT NULL,
            UNIQUE (pool_id, name_key)
        );
        CREATE TABLE user_pool_group_members (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            pool_id TEXT NOT NULL,
            name_key TEXT NOT NULL,
            member TEXT NOT NULL,
            UNIQUE (pool_id, name_key, member),
            FOREIGN KEY (pool_id, name_key) REFERENCES user_pool_groups(pool_id, name_key) ON DELETE CASCADE
        );
        CREATE INDEX user_pool_group_members_by_member ON user_pool_group_members(pool_id, member, seq);
        CREATE TRIGGER user_pool_group_members_of_deleted_user AFTER DELETE ON users
        BEGIN
            DELETE FROM user_pool_group_members WHERE pool_id = OLD.pool_id AND member = OLD.sub;
        END;
        """,
        // The unsigned user-pool operations find a client by its id alone.
        """
        CREATE INDEX user_pool_clients_by_client ON user_pool_clients(client_id);
        """,
        // The pools' domains (a prefix names one pool, a pool has one domain), OAuth authorization codes
        // (by the code's hash, single-use) and resource servers; all go with their pool by cascade.
        """
        CREATE TABLE user_pool_domains (
            domain TEXT PRIMARY KEY,
            pool_id TEXT NOT NULL UNIQUE REFERENCES user_pools(id) ON DELETE CASCADE,
            document TEXT NOT NULL
        );
        CREATE TABLE user_pool_authorization_codes (
            pool_id TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
            code_hash TEXT NOT NULL,
            expires INTEGER NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (pool_id, code_hash)
        );
        CREATE INDEX user_pool_authorization_codes_by_expiry ON user_pool_authorization_codes(expires);
        CREATE TABLE user_pool_resource_servers (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            pool_id TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
            identifier TEXT NOT NULL,
            document TEXT NOT NULL,
            UNIQUE (pool_id, identifier)
        );
        """,
        // The hosted UI customizations (SetUICustomization), per pool and client id or ALL.
        """
        CREATE TABLE user_pool_ui_customizations (
            pool_id TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
            client_id TEXT NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (pool_id, client_id)
        );
        """,
        // The identity providers of the user pools; each IdpIdentifier names one provider of its pool.
        """
        CREATE TABLE user_pool_identity_providers (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            pool_id TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            document TEXT NOT NULL,
            UNIQUE (pool_id, name)
        );
        CREATE TABLE user_pool_idp_identifiers (
            pool_id TEXT NOT NULL,
            identifier TEXT NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (pool_id, identifier),
            FOREIGN KEY (pool_id, name) REFERENCES user_pool_identity_providers(pool_id, name) ON DELETE CASCADE
        );
        CREATE INDEX user_pool_idp_identifiers_by_provider ON user_pool_idp_identifiers(pool_id, name);
        """,
        // Failed sign-ins of names that match no user (PreventUserExistenceErrors), by pool and normalized name;
        // purged by expiry as they are written (docs/user-pools.md, "Sign-in").
        """
        CREATE TABLE user_pool_signin_failures (
            pool_id TEXT NOT NULL,
            name_key TEXT NOT NULL,
            state TEXT NOT NULL,
            expires INTEGER NOT NULL,
            PRIMARY KEY (pool_id, name_key)
        );
        CREATE INDEX user_pool_signin_failures_by_expiry ON user_pool_signin_failures(expires);
        """,
        // The audit trail (docs/audit.md, "Storage"), newest first by time, searchable by LookupEvents' attributes.
        """
        CREATE TABLE audit_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            event_time INTEGER NOT NULL,
            event_name TEXT NOT NULL,
            event_source TEXT NOT NULL,
            read_only INTEGER NOT NULL,
            access_key_id TEXT,
            username TEXT,
            resources TEXT NOT NULL,
            document TEXT NOT NULL);
        CREATE INDEX audit_events_by_time ON audit_events(event_time, seq);
        CREATE INDEX audit_events_by_name ON audit_events(event_name, event_time);
        CREATE INDEX audit_events_by_key ON audit_events(access_key_id, event_time);
        """,
        // A leaner audit table, written some 30,000 times a second under load (docs/audit.md, "Storage"). The
        // unique index of random event ids cost half of each insert (a random B-tree page per row); event ids are now
        // version-7 GUIDs of the event time, found through the time index. No AUTOINCREMENT (its sqlite_sequence row is
        // one more write per insert; rowids only grow while the newest row is kept). The access-key index holds signed
        // calls only. Old rows are kept.
        """
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            event_time INTEGER NOT NULL,
            event_id TEXT NOT NULL,
            event_name TEXT NOT NULL,
            event_source TEXT NOT NULL,
            read_only INTEGER NOT NULL,
            access_key_id TEXT,
            username TEXT,
            resources TEXT NOT NULL,
            document TEXT NOT NULL);
        INSERT INTO audit_log (seq, event_time, event_id, event_name, event_source, read_only, access_key_id, username, resources, document)
            SELECT seq, event_time, event_id, event_name, event_source, read_only, access_key_id, username, resources, document
            FROM audit_events ORDER BY seq;
        DROP TABLE audit_events;
        CREATE INDEX audit_log_by_time ON audit_log(event_time);
        CREATE INDEX audit_log_by_name ON audit_log(event_name, event_time);
        CREATE INDEX audit_log_by_key ON audit_log(access_key_id, event_time) WHERE access_key_id IS NOT NULL;
        """,

        // Identity lifecycle (docs/identities.md, "Lifecycle"): last seen, the sweeper's lease, bulk-deletion jobs.
        """
        CREATE TABLE identity_last_seen (
            identity_id TEXT PRIMARY KEY REFERENCES identities(id) ON DELETE CASCADE,
            seen INTEGER NOT NULL);
        CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires INTEGER NOT NULL);
        CREATE TABLE lifecycle_jobs (id TEXT PRIMARY KEY, document TEXT NOT NULL);
        """,
        // Session revocations (docs/revocation.md): few, read whole by the broker every refresh.
        """
        CREATE TABLE revocations (
            id TEXT NOT NULL PRIMARY KEY,
            created INTEGER NOT NULL,
            document TEXT NOT NULL);
        """,
        KeyedLogins,
        // Cognito Sync (docs/sync.md): datasets, their records (tombstones kept), pool settings, devices, subscriptions,
        // and the pool's change stream appended in the write's own transaction.
        """
        CREATE TABLE sync_datasets (
            identity_id TEXT NOT NULL,
            name TEXT NOT NULL,
            pool_id TEXT NOT NULL,
            created INTEGER NOT NULL,
            modified INTEGER NOT NULL,
            modified_by TEXT,
            storage INTEGER NOT NULL,
            records INTEGER NOT NULL,
            sync_count INTEGER NOT NULL,
            PRIMARY KEY (identity_id, name));
        CREATE INDEX sync_datasets_by_pool ON sync_datasets(pool_id);
        CREATE TABLE sync_records (
            identity_id TEXT NOT NULL,
            dataset TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT,
            sync_count INTEGER NOT NULL,
            modified INTEGER NOT NULL,
            modified_by TEXT,
            device_modified INTEGER,
            deleted INTEGER NOT NULL,
            PRIMARY KEY (identity_id, dataset, key));
        CREATE INDEX sync_records_by_count ON sync_records(identity_id, dataset, sync_count);
        CREATE TABLE sync_settings (pool_id TEXT PRIMARY KEY, streaming INTEGER NOT NULL, document TEXT NOT NULL);
        CREATE TABLE sync_devices (
            identity_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (identity_id, device_id));
        CREATE TABLE sync_subscriptions (
            identity_id TEXT NOT NULL,
            dataset TEXT NOT NULL,
            device_id TEXT NOT NULL,
            PRIMARY KEY (identity_id, dataset, device_id));
        CREATE TABLE sync_stream (seq INTEGER PRIMARY KEY AUTOINCREMENT, pool_id TEXT NOT NULL, change TEXT NOT NULL);
        CREATE INDEX sync_stream_by_pool ON sync_stream(pool_id, seq);
        """,
        // Cognito Sync bulk publish (docs/sync.md, "Cognito Streams"): one row per pool, its state and progress cursor.
        """
        CREATE TABLE sync_bulk_publish (
            pool_id TEXT PRIMARY KEY,
            status INTEGER NOT NULL,
            started INTEGER NOT NULL,
            completed INTEGER,
            failure TEXT,
            cursor TEXT,
            published INTEGER NOT NULL);
        """,
        AuditFacts,
        // Cognito Sync (docs/sync.md): the last sync count of each deleted dataset (ListRecords'
        // DatasetDeletedAfterRequestedSyncCount; a dataset made again counts on from it) and each pool's sync sessions.
        """
        CREATE TABLE sync_deleted (
            identity_id TEXT NOT NULL,
            name TEXT NOT NULL,
            sync_count INTEGER NOT NULL,
            PRIMARY KEY (identity_id, name));
        CREATE TABLE sync_sessions (pool_id TEXT PRIMARY KEY, count INTEGER NOT NULL);
        """,
        // User-pool SAML single logout (docs/user-pools.md, "SAML signing and encryption"): the IdP session behind each SAML
        // hosted sign-in (NameID, SessionIndex) and each user's latest hosted sign-out ordered by an IdP (UTC ticks).
        """
        CREATE TABLE user_pool_saml_sessions (
            pool_id TEXT NOT NULL,
            provider TEXT NOT NULL,
            name_id TEXT NOT NULL,
            session_index TEXT NOT NULL,
            sub TEXT NOT NULL,
            expires INTEGER NOT NULL,
            PRIMARY KEY (pool_id, provider, name_id, session_index));
        CREATE INDEX user_pool_saml_sessions_expiry ON user_pool_saml_sessions (expires);
        CREATE TABLE user_pool_hosted_signouts (
            pool_id TEXT NOT NULL,
            sub TEXT NOT NULL,
            signed_out INTEGER NOT NULL,
            keep_until INTEGER NOT NULL,
            PRIMARY KEY (pool_id, sub));
        """,
    ];

    // The audit trail stores a call's record as its compact facts (docs/audit.md, "Storage"): about a quarter of the
    // bytes of the CloudTrail JSON, which is written from them when read. A new nullable column, so the migration touches
    // no existing row: those keep their JSON in document and read as before.
    private const string AuditFacts = "ALTER TABLE audit_log ADD COLUMN facts BLOB;";

    // The million-identity store (docs/storage.md, "Identities at scale"). GetId looks a login up by (pool, provider,
    // subject) and then reads the owner with all its logins: logins become a WITHOUT ROWID table keyed by exactly that
    // lookup, holding integer keys (the pool's and the identity's seq) instead of two 40-odd-character ids, with one
    // covering index by identity in link order; last-seen rows are keyed by the identity's seq (the table's rowid, no
    // second index). The identities table itself stays: other tables reference identities(id), and rebuilding a parent
    // table needs foreign keys off, which SQLite cannot switch inside the migration's transaction (a DROP with them on
    // cascades into every child). One transaction, so a kill mid-way leaves the old tables as they were.
    private const string KeyedLogins =
        """
        CREATE TABLE logins_keyed (
            pool_seq INTEGER NOT NULL,
            provider TEXT NOT NULL,
            subject TEXT NOT NULL,
            identity_seq INTEGER NOT NULL REFERENCES identities(seq) ON DELETE CASCADE,
            linked INTEGER NOT NULL,
            PRIMARY KEY (pool_seq, provider, subject)) WITHOUT ROWID;
        INSERT INTO logins_keyed (pool_seq, provider, subject, identity_seq, linked)
            SELECT p.seq, l.provider, l.subject, i.seq, l.seq
            FROM logins l JOIN pools p ON p.id = l.pool_id JOIN identities i ON i.id = l.identity_id;
        DROP TABLE logins;
        ALTER TABLE logins_keyed RENAME TO logins;
        CREATE INDEX logins_by_identity ON logins(identity_seq, linked);
        CREATE TABLE identity_seen (
            identity_seq INTEGER PRIMARY KEY REFERENCES identities(seq) ON DELETE CASCADE,
            seen INTEGER NOT NULL);
        INSERT INTO identity_seen (identity_seq, seen)
            SELECT i.seq, s.seen FROM identity_last_seen s JOIN identities i ON i.id = s.identity_id;
        DROP TABLE identity_last_seen;
        ALTER TABLE identity_seen RENAME TO identity_last_seen;
        """;

    public static int CurrentVersion => Migrations.Length;

    /// <summary>The schema version that <see cref="KeyedLogins"/> brings a file to (tests build the file before it).</summary>
    internal static int KeyedLoginsVersion => Array.IndexOf(Migrations, KeyedLogins) + 1;

    /// <summary>The schema version that <see cref="AuditFacts"/> brings a file to (tests write audit rows before it).</summary>
    internal static int AuditFactsVersion => Array.IndexOf(Migrations, AuditFacts) + 1;

    /// <summary>The migration that brings a file to <paramref name="version"/> (tests replay an older schema).</summary>
    internal static string Migration(int version) => Migrations[version - 1];

    /// <summary>Brings the database up to <see cref="CurrentVersion"/>; call on the writer connection.</summary>
    public static Task EnsureAsync(SqliteSession writer, CancellationToken cancellationToken) =>
        writer.InWriteTransactionAsync(0, static (s, _, ct) => MigrateAsync(s, ct), cancellationToken);

    private static async Task<int> MigrateAsync(SqliteSession session, CancellationToken cancellationToken)
    {
        await session.Command("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);")
            .ExecuteNonQueryAsync(cancellationToken);
        var found = await session.Command("SELECT COALESCE(MAX(version), 0) FROM schema_version;")
            .ExecuteScalarAsync(cancellationToken);
        var version = Convert.ToInt32(found, System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database has schema version {version}; this broker knows up to {CurrentVersion}. Use a newer broker.");
        }

        for (var next = version; next < CurrentVersion; next++)
        {
            await session.Command(Migrations[next]).ExecuteNonQueryAsync(cancellationToken);
            var record = session.Command("INSERT INTO schema_version (version) VALUES ($version);");
            record.Parameters.AddWithValue("$version", next + 1);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        return CurrentVersion;
    }
}
