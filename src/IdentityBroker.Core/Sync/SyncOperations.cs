using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Errors;
using IdentityBroker.Observability;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using Microsoft.Extensions.Logging;

namespace IdentityBroker.Sync;

/// <summary>A RecordPatch as the wire gave it: Op (<c>replace</c>/<c>remove</c>), Key, Value, SyncCount, DeviceLastModifiedDate.</summary>
public sealed record SyncPatchInput(string? Op, string? Key, string? Value, long? SyncCount, DateTimeOffset? DeviceLastModifiedDate);

/// <summary>
/// ListRecords' answer (the SyncSessionToken is new for every listing). <see cref="DatasetDeletedAfterRequestedSyncCount"/>:
/// the dataset was deleted after the state the device synced (its LastSyncCount), so the device drops its copy first.
/// </summary>
public sealed record SyncRecordsPage(
    IReadOnlyList<SyncRecordState> Records, string? NextToken, long DatasetSyncCount, string? LastModifiedBy,
    IReadOnlyList<string> MergedDatasetNames, bool DatasetExists, string SyncSessionToken, bool DatasetDeletedAfterRequestedSyncCount = false);

/// <summary>DescribeIdentityUsage's answer.</summary>
public sealed record SyncIdentityUsage(string IdentityPoolId, string IdentityId, int DatasetCount, long DataStorage, DateTimeOffset? LastModifiedDate);

/// <summary>
/// Cognito Sync's datasets and records for one identity (docs/sync.md). The edge has authorized the caller on the
/// identity (or dataset) already; these check the pool and identity exist, validate the input as the model does, and run
/// the store's atomic write. Committed changes are told to every <see cref="ISyncChangeObserver"/>; a pool with a
/// SyncTrigger has <see cref="ISyncEventHook"/> run before the write.
/// </summary>
public sealed partial class SyncOperations(
    ISyncStore store,
    PoolDirectory pools,
    IIdentityStore identities,
    SyncSessionTokens sessions,
    ISyncEventHook hook,
    IEnumerable<ISyncChangeObserver> observers,
    TimeProvider time,
    ILogger<SyncOperations> logger)
{
    public const int MaxPageSize = 1024;

    public const string SyncTrigger = "SyncTrigger";

    private readonly ISyncChangeObserver[] _observers = [.. observers];

    public ISyncStore Store => store;

    /// <summary>The identity's pool exists and the identity is one of its (disabled identities keep their data, as in Cognito).</summary>
    public async Task<AwsError?> CheckIdentityAsync(string poolId, string identityId, CancellationToken cancellationToken)
    {
        if (await pools.FindAsync(poolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return SyncErrors.NotFound($"IdentityPool '{poolId}' not found.");
        }

        var identity = await identities.GetIdentityAsync(identityId, cancellationToken).ConfigureAwait(false);
        return identity is null || identity.IdentityPoolId != poolId ? SyncErrors.NotFound($"Identity '{identityId}' not found.") : null;
    }

    public async Task<Result<(IReadOnlyList<SyncDataset> Datasets, string? NextToken)>> ListDatasetsAsync(
        string poolId, string identityId, int? maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        if (await CheckIdentityAsync(poolId, identityId, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        if (nextToken is not null && !SyncNames.IsDatasetName(nextToken) || maxResults is < 1 or > 60)
        {
            return SyncErrors.InvalidParameter("NextToken or MaxResults is not valid (MaxResults is 1 to 60).");
        }

        var all = await store.ListDatasetsAsync(poolId, identityId, cancellationToken).ConfigureAwait(false);
        var page = all.Where(d => nextToken is null || string.CompareOrdinal(d.DatasetName, nextToken) > 0).Take(maxResults ?? 20).ToList();
        var more = page.Count > 0 && all[^1].DatasetName != page[^1].DatasetName;
        return (page, more ? page[^1].DatasetName : null);
    }

    public async Task<Result<SyncDataset>> DescribeDatasetAsync(string poolId, string identityId, string datasetName, CancellationToken cancellationToken)
    {
        if (await CheckDatasetAsync(poolId, identityId, datasetName, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var dataset = await store.GetDatasetAsync(poolId, identityId, datasetName, cancellationToken).ConfigureAwait(false);
        return dataset is null ? SyncErrors.NotFound($"Dataset '{datasetName}' not found.") : dataset;
    }

    public async Task<Result<SyncDataset>> DeleteDatasetAsync(string poolId, string identityId, string datasetName, CancellationToken cancellationToken)
    {
        if (await CheckDatasetAsync(poolId, identityId, datasetName, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        var deleted = await store.DeleteDatasetAsync(poolId, identityId, datasetName, now, cancellationToken).ConfigureAwait(false);
        if (deleted is null)
        {
            return SyncErrors.NotFound($"Dataset '{datasetName}' not found.");
        }

        Notify(new SyncChange(poolId, identityId, datasetName, deleted.SyncCount, null, [], SyncChangeKind.DeleteDataset, now));
        return deleted;
    }

    public async Task<Result<SyncRecordsPage>> ListRecordsAsync(
        string poolId, string identityId, string datasetName, long? lastSyncCount, int? maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        if (await CheckDatasetAsync(poolId, identityId, datasetName, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var after = RecordCursor.Decode(nextToken);
        if (lastSyncCount is < 0 || maxResults is < 1 or > MaxPageSize || nextToken is not null && after is null)
        {
            return SyncErrors.InvalidParameter($"LastSyncCount, MaxResults (1 to {MaxPageSize}) or NextToken is not valid.");
        }

        var dataset = await store.GetDatasetAsync(poolId, identityId, datasetName, cancellationToken).ConfigureAwait(false);
        var records = await store.ListRecordsAsync(poolId, identityId, datasetName, lastSyncCount ?? 0, cancellationToken).ConfigureAwait(false);
        var page = records.Where(r => after is null || RecordCursor.IsAfter(r, after.Value)).Take(maxResults ?? MaxPageSize).ToList();
        var more = page.Count > 0 && !ReferenceEquals(page[^1], records[^1]);
        var merged = (await store.ListDatasetsAsync(poolId, identityId, cancellationToken).ConfigureAwait(false))
            .Where(d => d.DatasetName.StartsWith(datasetName + ".", StringComparison.Ordinal)).Select(d => d.DatasetName).ToList();
        var token = await sessions.IssueAsync(identityId, datasetName, cancellationToken).ConfigureAwait(false);
        if (nextToken is null)
        {
            await store.CountSyncSessionAsync(poolId, cancellationToken).ConfigureAwait(false);
        }

        var deletedAt = await store.GetDeletedSyncCountAsync(poolId, identityId, datasetName, cancellationToken).ConfigureAwait(false);
        return new SyncRecordsPage(page, more ? RecordCursor.Encode(page[^1]) : null, dataset?.SyncCount ?? 0, dataset?.LastModifiedBy,
            merged, dataset is not null, token, DeletedAfter(lastSyncCount ?? 0, deletedAt));
    }

    public async Task<Result<IReadOnlyList<SyncRecordState>>> UpdateRecordsAsync(
        string poolId, string identityId, string datasetName, string? deviceId, IReadOnlyList<SyncPatchInput>? patches,
        string? syncSessionToken, string? clientContext, CancellationToken cancellationToken)
    {
        if (await CheckDatasetAsync(poolId, identityId, datasetName, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var parsed = SyncPatchRules.Parse(patches, deviceId, clientContext);
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
        }

        if (await sessions.CheckAsync(syncSessionToken, identityId, datasetName, cancellationToken).ConfigureAwait(false) is { } badToken)
        {
            return badToken;
        }

        var triggered = await RunTriggerAsync(poolId, identityId, datasetName, parsed.Value, cancellationToken).ConfigureAwait(false);
        if (!triggered.IsSuccess)
        {
            return triggered.Error!;
        }

        var write = new SyncWrite(poolId, identityId, datasetName, deviceId, identityId, triggered.Value, time.GetUtcNow(), SyncLimits.Cognito);
        var outcome = await store.UpdateRecordsAsync(write, cancellationToken).ConfigureAwait(false);
        if (outcome.Kind != SyncWriteKind.Written)
        {
            return Refusal(outcome);
        }

        Notify(outcome.Change!);
        return Result<IReadOnlyList<SyncRecordState>>.Ok(outcome.Change!.Records);
    }

    public async Task<Result<SyncIdentityUsage>> DescribeIdentityUsageAsync(string poolId, string identityId, CancellationToken cancellationToken)
    {
        if (await CheckIdentityAsync(poolId, identityId, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var datasets = await store.ListDatasetsAsync(poolId, identityId, cancellationToken).ConfigureAwait(false);
        return new SyncIdentityUsage(poolId, identityId, datasets.Count, datasets.Sum(d => d.DataStorage),
            datasets.Count == 0 ? null : datasets.Max(d => d.LastModifiedDate));
    }

    /// <summary>RegisterDevice: the device id is derived from the identity, platform and token, so registering again returns the same id.</summary>
    public async Task<Result<string>> RegisterDeviceAsync(string poolId, string identityId, string? platform, string? token, CancellationToken cancellationToken)
    {
        if (await CheckIdentityAsync(poolId, identityId, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        if (platform is null || !SyncNames.Platforms.Contains(platform) || string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return SyncErrors.InvalidParameter("Platform must be one of APNS, APNS_SANDBOX, GCM, ADM and Token a push token.");
        }

        var settings = await store.GetSyncSettingsAsync(poolId, cancellationToken).ConfigureAwait(false);
        if (settings?.PushSync?.ApplicationArns is not { Count: > 0 })
        {
            return SyncErrors.InvalidConfiguration("Push sync is not configured for this identity pool (SetIdentityPoolConfiguration PushSync).");
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{identityId}\n{platform}\n{token}"));
        var deviceId = new Guid(hash.AsSpan(0, 16)).ToString("D");
        await store.PutDeviceAsync(new SyncDevice(poolId, identityId, deviceId, platform, token), cancellationToken).ConfigureAwait(false);
        return deviceId;
    }

    /// <summary>SubscribeToDataset / UnsubscribeFromDataset: the device must be registered to the identity.</summary>
    public async Task<AwsError?> SetSubscriptionAsync(
        string poolId, string identityId, string datasetName, string deviceId, bool subscribed, CancellationToken cancellationToken)
    {
        if (await CheckDatasetAsync(poolId, identityId, datasetName, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        if (deviceId.Length is < 1 or > SyncNames.MaxDeviceIdLength)
        {
            return SyncErrors.InvalidParameter("DeviceId must be 1 to 256 characters.");
        }

        if (await store.GetDeviceAsync(poolId, identityId, deviceId, cancellationToken).ConfigureAwait(false) is null)
        {
            return SyncErrors.NotFound($"Device '{deviceId}' is not registered to this identity.");
        }

        await store.SetSubscriptionAsync(poolId, identityId, datasetName, deviceId, subscribed, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Whether the dataset was deleted after the state a device synced at <paramref name="lastSyncCount"/>: a dataset
    /// made again counts on from the count it was deleted at (<see cref="SyncWritePlan"/>), so any count up to that one is
    /// a state from before the deletion. A device that never synced (0) has no copy to drop.
    /// </summary>
    public static bool DeletedAfter(long lastSyncCount, long deletedSyncCount) => lastSyncCount > 0 && lastSyncCount <= deletedSyncCount;

    private async Task<AwsError?> CheckDatasetAsync(string poolId, string identityId, string datasetName, CancellationToken cancellationToken) =>
        SyncNames.IsDatasetName(datasetName)
            ? await CheckIdentityAsync(poolId, identityId, cancellationToken).ConfigureAwait(false)
            : SyncErrors.InvalidParameter("DatasetName must be 1 to 128 characters of a-z, A-Z, 0-9, '_', '.', ':' and '-'.");

    private async Task<Result<IReadOnlyList<SyncRecordPatch>>> RunTriggerAsync(
        string poolId, string identityId, string datasetName, IReadOnlyList<SyncRecordPatch> patches, CancellationToken cancellationToken)
    {
        var settings = await store.GetSyncSettingsAsync(poolId, cancellationToken).ConfigureAwait(false);
        if (settings?.Events.GetValueOrDefault(SyncTrigger) is not { Length: > 0 } function)
        {
            return Result<IReadOnlyList<SyncRecordPatch>>.Ok(patches);
        }

        var current = (await store.ListRecordsAsync(poolId, identityId, datasetName, 0, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.Key, StringComparer.Ordinal);
        var input = new SyncTriggerInput(poolId, identityId, datasetName, function, [.. patches.Select(p => new SyncTriggerRecord(
            p.Key, current.TryGetValue(p.Key, out var old) && !old.Deleted ? old.Value : null, p.Value,
            p.Value is null ? SyncRecordOperation.Remove : SyncRecordOperation.Replace))]);
        var output = await hook.InvokeAsync(input, cancellationToken).ConfigureAwait(false);
        if (!output.IsSuccess)
        {
            return output.Error!;
        }

        var byKey = output.Value.GroupBy(r => r.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        return Result<IReadOnlyList<SyncRecordPatch>>.Ok([.. patches.Where(p => byKey.ContainsKey(p.Key)).Select(p => p with
        {
            Value = byKey[p.Key].Operation == SyncRecordOperation.Remove ? null : byKey[p.Key].NewValue ?? string.Empty,
        })]);
    }

    private static AwsError Refusal(SyncWriteOutcome outcome) => outcome.Kind switch
    {
        SyncWriteKind.Conflict when outcome.CurrentSyncCount >= 0 =>
            SyncErrors.Conflict($"Current SyncCount for: {outcome.ConflictKey} is: {outcome.CurrentSyncCount}"),
        SyncWriteKind.Conflict => SyncErrors.Conflict("The dataset is being written by other devices; list its records and try again."),
        SyncWriteKind.TooManyDatasets => SyncErrors.LimitExceeded($"An identity may have at most {SyncLimits.Cognito.MaxDatasetsPerIdentity} datasets."),
        SyncWriteKind.DatasetTooLarge => SyncErrors.LimitExceeded($"A dataset may hold at most {SyncLimits.Cognito.MaxBytesPerDataset} bytes of keys and values."),
        _ => SyncErrors.LimitExceeded($"A dataset may hold at most {SyncLimits.Cognito.MaxRecordsPerDataset} records."),
    };

    private void Notify(SyncChange change)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnChangeCommitted(change);
            }
#pragma warning disable CA1031 // an observer's failure must never fail a committed write (ISyncChangeObserver)
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogObserverFailed(logger, observer.GetType().Name, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = LogEvents.SyncObserverFailed, Level = LogLevel.Warning,
        Message = "Sync change observer {Observer} failed with {ExceptionType}; the change is committed.")]
    private static partial void LogObserverFailed(ILogger logger, string observer, string exceptionType);
}
