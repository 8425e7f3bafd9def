using System.Text.RegularExpressions;
using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Sync;

/// <summary>
/// Cognito Sync's pool-level calls (the edge has required admin credentials): usage, the pool's PushSync and
/// CognitoStreams configuration, and its Cognito Events. Everything here is stored; what push sync, streams and events do
/// with it is the delivery side's (<see cref="ISyncChangeObserver"/>, <see cref="ISyncEventHook"/>, <see cref="ISyncBulkPublisher"/>).
/// </summary>
public sealed partial class SyncPoolOperations(ISyncStore store, PoolDirectory pools)
{
    public async Task<Result<SyncPoolUsage>> DescribeUsageAsync(string poolId, CancellationToken cancellationToken) =>
        await pools.FindAsync(poolId, cancellationToken).ConfigureAwait(false) is null
            ? SyncErrors.NotFound($"IdentityPool '{poolId}' not found.")
            : await store.GetPoolUsageAsync(poolId, cancellationToken).ConfigureAwait(false);

    public async Task<Result<(IReadOnlyList<SyncPoolUsage> Usages, string? NextToken)>> ListUsageAsync(
        int? maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        if (maxResults is < 1 or > 60)
        {
            return SyncErrors.InvalidParameter("MaxResults must be 1 to 60.");
        }

        Page<IdentityPool> page;
        try
        {
            page = await pools.Store.ListPoolsAsync(maxResults ?? 16, nextToken, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidNextTokenException)
        {
            return SyncErrors.InvalidParameter("NextToken is not valid.");
        }

        var usages = new List<SyncPoolUsage>(page.Items.Count);
        foreach (var pool in page.Items)
        {
            usages.Add(await store.GetPoolUsageAsync(pool.IdentityPoolId, cancellationToken).ConfigureAwait(false));
        }

        return (usages, page.NextToken);
    }

    public async Task<Result<SyncPoolSettings>> GetSettingsAsync(string poolId, CancellationToken cancellationToken) =>
        await pools.FindAsync(poolId, cancellationToken).ConfigureAwait(false) is null
            ? SyncErrors.NotFound($"IdentityPool '{poolId}' not found.")
            : await store.GetSyncSettingsAsync(poolId, cancellationToken).ConfigureAwait(false) ?? new SyncPoolSettings { IdentityPoolId = poolId };

    /// <summary>SetIdentityPoolConfiguration: a member given replaces the stored one; a member left out stays.</summary>
    public async Task<Result<SyncPoolSettings>> SetConfigurationAsync(
        string poolId, SyncPushSettings? pushSync, SyncStreamSettings? streams, CancellationToken cancellationToken)
    {
        if ((CheckPush(pushSync) ?? CheckStreams(streams)) is { } invalid)
        {
            return invalid;
        }

        var current = await GetSettingsAsync(poolId, cancellationToken).ConfigureAwait(false);
        if (!current.IsSuccess)
        {
            return current;
        }

        var settings = current.Value with { PushSync = pushSync ?? current.Value.PushSync, CognitoStreams = streams ?? current.Value.CognitoStreams };
        await store.PutSyncSettingsAsync(settings, cancellationToken).ConfigureAwait(false);
        return settings;
    }

    /// <summary>SetCognitoEvents: only <c>SyncTrigger</c> exists; an empty ARN removes it.</summary>
    public async Task<Result<SyncPoolSettings>> SetEventsAsync(string poolId, IReadOnlyDictionary<string, string>? events, CancellationToken cancellationToken)
    {
        if (events is null || events.Keys.Any(k => k != SyncOperations.SyncTrigger)
            || events.Values.Any(v => v.Length > 0 && !LambdaArn().IsMatch(v)))
        {
            return SyncErrors.InvalidParameter("Events maps SyncTrigger to a Lambda function ARN (or an empty string to remove it).");
        }

        var current = await GetSettingsAsync(poolId, cancellationToken).ConfigureAwait(false);
        if (!current.IsSuccess)
        {
            return current;
        }

        var merged = new Dictionary<string, string>(current.Value.Events, StringComparer.Ordinal);
        foreach (var (name, arn) in events)
        {
            if (arn.Length == 0)
            {
                merged.Remove(name);
            }
            else
            {
                merged[name] = arn;
            }
        }

        var settings = current.Value with { Events = merged };
        await store.PutSyncSettingsAsync(settings, cancellationToken).ConfigureAwait(false);
        return settings;
    }

    private static AwsError? CheckPush(SyncPushSettings? push) =>
        push?.ApplicationArns is { } arns && (arns.Count > 1 || arns.Any(a => !ApplicationArn().IsMatch(a)))
            ? SyncErrors.InvalidParameter("PushSync.ApplicationArns holds at most one SNS platform application ARN.")
            : null;

    private static AwsError? CheckStreams(SyncStreamSettings? streams) =>
        streams is not null && (streams.StreamName is { Length: < 1 or > 128 } || streams.StreamingStatus is not (null or "ENABLED" or "DISABLED"))
            ? SyncErrors.InvalidParameter("CognitoStreams: StreamName is 1 to 128 characters and StreamingStatus ENABLED or DISABLED.")
            : null;

    [GeneratedRegex(@"^arn:aws:sns:[-0-9a-z]+:\d+:app/[A-Z_]+/[a-zA-Z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ApplicationArn();

    [GeneratedRegex(@"^arn:aws:lambda:[-0-9a-z]+:\d{12}:function:[a-zA-Z0-9_-]+(:[a-zA-Z0-9_$-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex LambdaArn();
}
