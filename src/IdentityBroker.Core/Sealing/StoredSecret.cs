using System.Security.Cryptography;
using IdentityBroker.Storage;

namespace IdentityBroker.Sealing;

/// <summary>
/// One 256-bit secret per purpose, kept in the store so that every replica uses the same one: created on first use under a
/// fixed key id, so replicas creating it at once keep the first (the store refuses a second key with the same id), then
/// cached for the life of the process.
/// </summary>
public sealed class StoredSecret(IKeyStore keys, TimeProvider time, string purpose)
{
    private byte[]? _key;

    public string Purpose => purpose;

    public async ValueTask<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        if (_key is { } cached)
        {
            return cached;
        }

        var stored = await keys.GetKeysAsync(purpose, cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0)
        {
            await keys.TryAddKeyAsync(new StoredKey(purpose, purpose, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), time.GetUtcNow()),
                cancellationToken).ConfigureAwait(false);
            stored = await keys.GetKeysAsync(purpose, cancellationToken).ConfigureAwait(false);
        }

        _key = Convert.FromBase64String(stored.OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).First().Material);
        return _key;
    }
}
