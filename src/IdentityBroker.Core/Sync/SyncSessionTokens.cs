using System.Buffers.Binary;
using System.Text;
using IdentityBroker.Errors;
using IdentityBroker.Storage;

namespace IdentityBroker.Sync;

/// <summary>
/// ListRecords' SyncSessionToken, which UpdateRecords requires: the identity, the dataset and an expiry sealed with
/// AES-256-GCM under a broker key kept in the store (purpose <see cref="Purpose"/>), so any replica opens it and nothing a
/// client changes survives. Valid for <see cref="Validity"/>; a token of another identity or dataset is refused.
/// </summary>
public sealed class SyncSessionTokens(IKeyStore keys, TimeProvider time)
{
    public const string Purpose = "sync-session";

    /// <summary>Long enough for a device to merge what it listed and write back; short enough that a leaked token soon dies.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(15);

    private readonly Sealing.SealedBox _box = new(new Sealing.StoredSecret(keys, time, Purpose), 1024);

    public Task<string> IssueAsync(string identityId, string datasetName, CancellationToken cancellationToken)
    {
        var expires = time.GetUtcNow().Add(Validity).UtcTicks;
        var bound = Encoding.UTF8.GetBytes(Bind(identityId, datasetName));
        var plain = new byte[8 + bound.Length];
        BinaryPrimitives.WriteInt64BigEndian(plain, expires);
        bound.CopyTo(plain, 8);
        return _box.SealAsync(plain, cancellationToken);
    }

    /// <summary>Null when the token is intact, unexpired and was issued for this identity and dataset; otherwise the refusal.</summary>
    public async Task<AwsError?> CheckAsync(string? token, string identityId, string datasetName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return SyncErrors.InvalidParameter("SyncSessionToken is required: list the dataset's records first.");
        }

        var plain = await _box.OpenAsync(token, cancellationToken).ConfigureAwait(false);
        if (plain is not { Length: > 8 }
            || !Encoding.UTF8.GetString(plain.AsSpan(8)).Equals(Bind(identityId, datasetName), StringComparison.Ordinal))
        {
            return SyncErrors.InvalidParameter("The SyncSessionToken is not valid for this dataset.");
        }

        return BinaryPrimitives.ReadInt64BigEndian(plain) <= time.GetUtcNow().UtcTicks
            ? SyncErrors.InvalidParameter("The SyncSessionToken has expired: list the dataset's records again.")
            : null;
    }

    private static string Bind(string identityId, string datasetName) => $"{identityId.Length}:{identityId}{datasetName}";
}
