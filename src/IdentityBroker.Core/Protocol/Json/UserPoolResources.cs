using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// The resources Cognito User Pools actions are authorized against, as the Service Authorization Reference ("Actions,
/// resources, and condition keys for Amazon Cognito User Pools") gives them: the <c>userpool</c> resource
/// (<c>arn:aws:cognito-idp:&lt;region&gt;:&lt;account&gt;:userpool/&lt;UserPoolId&gt;</c>, with the pool's tags as
/// <c>aws:ResourceTag/…</c>) for every action on a pool; no resource type (<c>*</c>) for ListUserPools and CreateUserPool
/// (with <c>aws:RequestTag/…</c> and <c>aws:TagKeys</c>).
/// </summary>
public sealed class UserPoolResources(IUserPoolStore store, UserPoolIds ids)
{
    private static readonly IReadOnlyList<ResourceContext> AnyResource = [ResourceContext.Any];

    /// <summary>ListUserPools: no resource type.</summary>
    public static ValueTask<IReadOnlyList<ResourceContext>> Account() => ValueTask.FromResult(AnyResource);

    /// <summary>CreateUserPool: no resource type; the tags it asks for are <c>aws:RequestTag/…</c> and <c>aws:TagKeys</c>.</summary>
    public static ValueTask<IReadOnlyList<ResourceContext>> Create(IReadOnlyDictionary<string, string>? tags) =>
        ValueTask.FromResult<IReadOnlyList<ResourceContext>>([ResourceContext.Requesting("*", tags)]);

    /// <summary>An action on one pool: the pool's ARN, tagged with the pool's tags when it exists.</summary>
    public async ValueTask<IReadOnlyList<ResourceContext>> PoolAsync(string userPoolId, CancellationToken cancellationToken)
    {
        var pool = await store.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false);
        return [ResourceContext.Tagged(ids.Arn(userPoolId), pool?.Settings.UserPoolTags)];
    }
}
