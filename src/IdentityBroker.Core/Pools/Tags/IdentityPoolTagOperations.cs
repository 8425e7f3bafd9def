using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Tags;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Pools.Tags;

/// <summary>
/// TagResource, UntagResource and ListTagsForResource of Cognito Identity, on identity pool ARNs. The tags are the pool's
/// IdentityPoolTags: what these operations set, DescribeIdentityPool returns, and the reverse.
/// </summary>
public sealed class IdentityPoolTagOperations(PoolDirectory pools, IIdentityPoolTagStore tags, IOptions<BrokerOptions> options)
{
    public async Task<Result<Unit>> TagAsync(TagResource command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (PoolIdOf(command.ResourceArn) is not { } poolId)
        {
            return NotFound(command.ResourceArn);
        }

        AwsError? refused = null;
        var found = await tags.ChangeIdentityPoolTagsAsync(poolId, current =>
        {
            var changed = UserPoolTagSet.Add(current, command.Tags);
            refused = changed is null ? IdentityPoolTagRules.TooManyTags : IdentityPoolTagRules.Check(changed);
            return refused is null ? changed : current;
        }, cancellationToken).ConfigureAwait(false);
        pools.Invalidate(poolId);
        return !found ? CognitoErrors.PoolNotFound(poolId) : refused is { } error ? error : Unit.Value;
    }

    public async Task<Result<Unit>> UntagAsync(UntagResource command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (PoolIdOf(command.ResourceArn) is not { } poolId)
        {
            return NotFound(command.ResourceArn);
        }

        var found = await tags.ChangeIdentityPoolTagsAsync(poolId, current => UserPoolTagSet.Remove(current, command.TagKeys), cancellationToken)
            .ConfigureAwait(false);
        pools.Invalidate(poolId);
        return found ? Unit.Value : CognitoErrors.PoolNotFound(poolId);
    }

    public async Task<Result<IReadOnlyDictionary<string, string>>> ListAsync(ListTagsForResource command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (PoolIdOf(command.ResourceArn) is not { } poolId)
        {
            return NotFound(command.ResourceArn);
        }

        var pool = await pools.Store.GetPoolAsync(poolId, cancellationToken).ConfigureAwait(false);
        return pool is null
            ? CognitoErrors.PoolNotFound(poolId)
            : Result<IReadOnlyDictionary<string, string>>.Ok(pool.IdentityPoolTags ?? new Dictionary<string, string>());
    }

    /// <summary>The pool id of an identity pool ARN of this broker's region and account; null for any other ARN.</summary>
    public string? PoolIdOf(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var prefix = $"arn:aws:cognito-identity:{options.Value.Region}:{options.Value.AccountId}:identitypool/";
        if (!arn.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        // An identity pool id is <region>:<GUID> (IdentityPoolId pattern [\w-]+:[0-9a-f-]+).
        var id = arn[prefix.Length..];
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < id.Length - 1 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ':') ? id : null;
    }

    /// <summary>The only taggable resource is an identity pool; an ARN that names none of the broker's pools is not found.</summary>
    private static AwsError NotFound(string arn) => CognitoErrors.ResourceNotFound($"The resource {arn} does not exist.");
}
