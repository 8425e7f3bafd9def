using System.Text.Json;
using IdentityBroker.Revocations;

namespace IdentityBroker.Storage.Sqlite;

public sealed partial class SqliteBrokerStore : IRevocationStore
{
    public Task<bool> AddRevocationAsync(Revocation revocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        return WriteUncachedAsync(revocation, static async (s, r, ct) =>
        {
            var command = s.Command("INSERT INTO revocations (id, created, document) VALUES ($id, $created, $document) ON CONFLICT (id) DO NOTHING;");
            command.Parameters.AddWithValue("$id", r.RevocationId);
            command.Parameters.AddWithValue("$created", ToTicks(r.CreatedAt));
            command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(r, StoreJsonContext.Default.Revocation));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<Revocation>> ListRevocationsAsync(CancellationToken cancellationToken) =>
        ReadAsync(0, static async (s, _, ct) =>
        {
            var revocations = new List<Revocation>();
            await using var reader = await s.Command("SELECT document FROM revocations ORDER BY created, id;").ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                revocations.Add(JsonSerializer.Deserialize(reader.GetString(0), StoreJsonContext.Default.Revocation)!);
            }

            return (IReadOnlyList<Revocation>)revocations;
        }, cancellationToken);

    public Task<bool> DeleteRevocationAsync(string revocationId, CancellationToken cancellationToken) =>
        WriteUncachedAsync(revocationId, static async (s, id, ct) =>
        {
            var command = s.Command("DELETE FROM revocations WHERE id = $id;");
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
}
