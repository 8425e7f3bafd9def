using System.Collections.Concurrent;
using IdentityBroker.Storage;

namespace IdentityBroker.Identities.Lifecycle;

/// <summary>
/// Last seen, kept cheaply (docs/identities.md, "Lifecycle"): each replica writes an identity's last-seen time at most once
/// an hour, remembering in memory when it last wrote it; every other call costs one dictionary lookup. The memory is
/// bounded: past <see cref="MaxRemembered"/> identities it starts over (at worst one more write per identity).
/// </summary>
public sealed class LastSeenTracker(IIdentityLifecycleStore store, TimeProvider time)
{
    public static readonly TimeSpan Resolution = TimeSpan.FromHours(1);

    internal const int MaxRemembered = 200_000;

    private readonly ConcurrentDictionary<string, long> _written = new(StringComparer.Ordinal);

    /// <summary>The identity was used now (GetId, GetOpenIdToken, GetCredentialsForIdentity).</summary>
    public Task SeenAsync(string identityId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_written.TryGetValue(identityId, out var last) && now.UtcTicks - last < Resolution.Ticks)
        {
            return Task.CompletedTask;
        }

        if (_written.Count >= MaxRemembered)
        {
            _written.Clear();
        }

        _written[identityId] = now.UtcTicks;
        return store.RecordLastSeenAsync(identityId, now, cancellationToken);
    }
}
