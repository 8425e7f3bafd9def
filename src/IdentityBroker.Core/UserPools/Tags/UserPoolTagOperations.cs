using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Tags;

/// <summary>
/// TagResource, UntagResource and ListTagsForResource on user pool ARNs. The tags are the pool's UserPoolTags: what
/// these operations set, DescribeUserPool returns, and the reverse.
/// </summary>
public sealed class UserPoolTagOperations(IUserPoolStore pools, IUserPoolTagStore tags, UserPoolIds ids)
{
    public async Task<Result<Unit>> TagAsync(TagResource command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (PoolIdOf(command.ResourceArn) is not { } userPoolId)
        {
            return NotFound(command.ResourceArn);
        }

        var overLimit = false;
        var found = await tags.ChangeUserPoolTagsAsync(userPoolId, current =>
        {
            var changed = UserPoolTagSet.Add(current, command.Tags);
            overLimit = changed is null;
            return changed ?? current;
        }, cancellationToken).ConfigureAwait(false);
        return !found ? UserPoolErrors.UserPoolNotFound(userPoolId) : overLimit ? UserPoolTagSet.TooManyTags : Unit.Value;
    }

    public async Task<Result<Unit>> UntagAsync(UntagResource command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (PoolIdOf(command.ResourceArn) is not { } userPoolId)
        {
            return NotFound(command.ResourceArn);
        }

        return await tags.ChangeUserPoolTagsAsync(userPoolId, current => UserPoolTagSet.Remove(current, command.TagKeys), cancellationToken)
            .ConfigureAwait(false)
            ? Unit.Value
            : UserPoolErrors.UserPoolNotFound(userPoolId);
    }

    public async Task<Result<IReadOnlyDictionary<string, string>>> ListAsync(ListTagsForResource command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (PoolIdOf(command.ResourceArn) is not { } userPoolId)
        {
            return NotFound(command.ResourceArn);
        }

        var pool = await pools.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false);
        return pool is null
            ? UserPoolErrors.UserPoolNotFound(userPoolId)
            : Result<IReadOnlyDictionary<string, string>>.Ok(pool.Settings.UserPoolTags ?? new Dictionary<string, string>());
    }

    /// <summary>The pool id of a user pool ARN of this broker's region and account; null for any other ARN.</summary>
    public string? PoolIdOf(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var prefix = ids.Arn(string.Empty);
        if (!arn.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var id = arn[prefix.Length..];
        return id.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? id : null;
    }

    /// <summary>The only taggable resource is a user pool; an ARN that names none of the broker's pools is not found.</summary>
    private static AwsError NotFound(string arn) => new("ResourceNotFoundException", $"The resource {arn} does not exist.");
}
