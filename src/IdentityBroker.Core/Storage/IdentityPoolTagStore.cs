namespace IdentityBroker.Storage;

/// <summary>
/// The tags of an identity pool, kept in its document (IdentityPoolTags), changed in one atomic step so that concurrent
/// TagResource and UntagResource calls do not lose each other's tags.
/// </summary>
public interface IIdentityPoolTagStore
{
    /// <summary>
    /// Replaces the pool's tags with <paramref name="change"/>(current tags), atomically. <paramref name="change"/> may run
    /// more than once (on a concurrent write it is applied again to the new tags); returning its argument writes nothing.
    /// </summary>
    /// <returns>False when the pool does not exist.</returns>
    Task<bool> ChangeIdentityPoolTagsAsync(
        string poolId,
        Func<IReadOnlyDictionary<string, string>?, IReadOnlyDictionary<string, string>?> change,
        CancellationToken cancellationToken);
}
