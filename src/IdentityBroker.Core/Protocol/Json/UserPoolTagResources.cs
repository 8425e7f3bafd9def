using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Tags;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// The resource of TagResource, UntagResource and ListTagsForResource (Service Authorization Reference, Amazon Cognito
/// User Pools): the <c>userpool</c> ARN with the pool's tags as <c>aws:ResourceTag/…</c>; TagResource adds the tags it
/// asks for as <c>aws:RequestTag/…</c> and their keys as <c>aws:TagKeys</c>, UntagResource the keys it removes as
/// <c>aws:TagKeys</c>. An ARN that names no pool of the broker is authorized as given, without keys.
/// </summary>
public sealed class UserPoolTagResources(IUserPoolStore store, UserPoolTagOperations tags)
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
        var pool = tags.PoolIdOf(arn) is { } id ? await store.GetUserPoolAsync(id, cancellationToken).ConfigureAwait(false) : null;
        return [ResourceContext.Tagged(arn, pool?.Settings.UserPoolTags).WithKeys(requestKeys)];
    }
}
