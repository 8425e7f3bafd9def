using Microsoft.Extensions.Options;
using IdentityBroker.Pools;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// The resources Cognito Identity actions are authorized against, as the Service Authorization Reference ("Actions,
/// resources, and condition keys for Amazon Cognito Identity") gives them: the <c>identitypool</c> resource
/// (<c>arn:aws:cognito-identity:&lt;region&gt;:&lt;account&gt;:identitypool/&lt;IdentityPoolId&gt;</c>, with the pool's tags as
/// <c>aws:ResourceTag/…</c>) for every action that names a pool; no resource type (<c>*</c>) for ListIdentityPools,
/// CreateIdentityPool (with <c>aws:RequestTag/…</c> and <c>aws:TagKeys</c>), DescribeIdentity and DeleteIdentities — the
/// last two carry <c>cognito-identity:IdentityPoolArn</c>, the pool of the identity, instead.
/// </summary>
public sealed class CognitoResources(PoolDirectory pools, IIdentityStore identities, IOptions<BrokerOptions> options)
{
    private static readonly IReadOnlyList<ResourceContext> AnyResource = [ResourceContext.Any];

    public string PoolArn(string poolId) => $"arn:aws:cognito-identity:{options.Value.Region}:{options.Value.AccountId}:identitypool/{poolId}";

    /// <summary>ListIdentityPools: no resource type.</summary>
    public static ValueTask<IReadOnlyList<ResourceContext>> Account() => ValueTask.FromResult(AnyResource);

    /// <summary>CreateIdentityPool: no resource type; the tags it asks for are <c>aws:RequestTag/…</c> and <c>aws:TagKeys</c>.</summary>
    public static ValueTask<IReadOnlyList<ResourceContext>> Create(IReadOnlyDictionary<string, string>? tags) =>
        ValueTask.FromResult<IReadOnlyList<ResourceContext>>([ResourceContext.Requesting("*", tags)]);

    /// <summary>An action on one pool: the pool's ARN, tagged with the pool's tags when it exists.</summary>
    public async ValueTask<IReadOnlyList<ResourceContext>> PoolAsync(string poolId, CancellationToken cancellationToken)
    {
        var pool = await pools.FindAsync(poolId, cancellationToken).ConfigureAwait(false);
        return [ResourceContext.Tagged(PoolArn(poolId), pool?.IdentityPoolTags)];
    }

    /// <summary>
    /// DescribeIdentity and DeleteIdentities: <c>*</c>, with <c>cognito-identity:IdentityPoolArn</c> set to the pool each
    /// identity belongs to (read from the store). Identities of several pools are authorized once per pool, so every pool
    /// the call touches must be allowed. Unknown identities are not acted on and add nothing; when none is known the call
    /// is authorized against <c>*</c> without the key.
    /// </summary>
    public async ValueTask<IReadOnlyList<ResourceContext>> IdentitiesAsync(IEnumerable<string> identityIds, CancellationToken cancellationToken)
    {
        var poolIds = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var identityId in identityIds.Distinct(StringComparer.Ordinal))
        {
            if (await identities.GetIdentityAsync(identityId, cancellationToken).ConfigureAwait(false) is { } identity)
            {
                poolIds.Add(identity.IdentityPoolId);
            }
        }

        return poolIds.Count == 0
            ? AnyResource
            : poolIds.Select(id => ResourceContext.Any.With("cognito-identity:IdentityPoolArn", PoolArn(id))).ToList();
    }
}
