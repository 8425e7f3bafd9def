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
        ResourceAsync(command.ResourceArn, ResourceContext.Requesting(command.ResourceArn, command.Tags).Keys, cancellationToken);

    public ValueTask<IReadOnlyList<ResourceContext>> UntagAsync(UntagResource command, CancellationToken cancellationToken) =>
        ResourceAsync(command.ResourceArn,
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["aws:TagKeys"] = command.TagKeys },
            cancellationToken);

    private async ValueTask<IReadOnlyList<ResourceContext>> ResourceAsync(
        string arn, IReadOnlyDictionary<string, IReadOnlyList<string>>? requestKeys, CancellationToken cancellationToken)
    {
        var pool = tags.PoolIdOf(arn) is { } id ? await store.GetUserPoolAsync(id, cancellationToken).ConfigureAwait(false) : null;
        var resource = ResourceContext.Tagged(arn, pool?.Settings.UserPoolTags);
        if (requestKeys is { Count: > 0 })
        {
            var keys = new Dictionary<string, IReadOnlyList<string>>(resource.Keys, StringComparer.OrdinalIgnoreCase);
            foreach (var (key, values) in requestKeys)
            {
                keys[key] = values;
            }

            resource = resource with { Keys = keys };
        }

        return [resource];
    }
}
