using IdentityBroker.Pools;
using IdentityBroker.Pools.Tags;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.UserPools.Tags;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// The resource of Cognito Identity's TagResource, UntagResource and ListTagsForResource (Service Authorization Reference,
/// Amazon Cognito Identity): the <c>identitypool</c> ARN with the pool's tags as <c>aws:ResourceTag/…</c>; TagResource adds
/// the tags it asks for as <c>aws:RequestTag/…</c> and <c>aws:TagKeys</c>, UntagResource the keys it removes as
/// <c>aws:TagKeys</c>. An ARN that names no pool of the broker is authorized as given, without keys.
/// </summary>
public sealed class IdentityPoolTagResources(PoolDirectory pools, IdentityPoolTagOperations tags)
{
    public ValueTask<IReadOnlyList<ResourceContext>> ListAsync(ListTagsForResource command, CancellationToken cancellationToken) =>
        ResourceAsync(command.ResourceArn, null, cancellationToken);

    public ValueTask<IReadOnlyList<ResourceContext>> TagAsync(TagResource command, CancellationToken cancellationToken) =>
        ResourceAsync(command.ResourceArn, ResourceContext.TagRequestKeys(command.Tags), cancellationToken);

    public ValueTask<IReadOnlyList<ResourceContext>> UntagAsync(UntagResource command, CancellationToken cancellationToken) =>
        ResourceAsync(command.ResourceArn, ResourceContext.UntagRequestKeys(command.TagKeys), cancellationToken);

    private async ValueTask<IReadOnlyList<ResourceContext>> ResourceAsync(
        string arn, IReadOnlyDictionary<string, IReadOnlyList<string>>? requestKeys, CancellationToken cancellationToken)
    {
        var pool = tags.PoolIdOf(arn) is { } id ? await pools.FindAsync(id, cancellationToken).ConfigureAwait(false) : null;
        return [ResourceContext.Tagged(arn, pool?.IdentityPoolTags).WithKeys(requestKeys)];
    }
}
