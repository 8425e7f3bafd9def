using System.Text.Json;
using IdentityBroker.Revocations;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore : IRevocationStore
{
    public Task<bool> AddRevocationAsync(Revocation revocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        return GuardAsync(() => Db.HashSetAsync(_keys.Revocations, revocation.RevocationId,
            JsonSerializer.Serialize(revocation, StoreJsonContext.Default.Revocation), StackExchange.Redis.When.NotExists));
    }

    public Task<IReadOnlyList<Revocation>> ListRevocationsAsync(CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var documents = await Db.HashValuesAsync(_keys.Revocations).ConfigureAwait(false);
            return (IReadOnlyList<Revocation>)documents
                .Select(d => JsonSerializer.Deserialize((string)d!, StoreJsonContext.Default.Revocation)!)
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.RevocationId, StringComparer.Ordinal)
                .ToList();
        });

    public Task<bool> DeleteRevocationAsync(string revocationId, CancellationToken cancellationToken) =>
        GuardAsync(() => Db.HashDeleteAsync(_keys.Revocations, revocationId));
}
