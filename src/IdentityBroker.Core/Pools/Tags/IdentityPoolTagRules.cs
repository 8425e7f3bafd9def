using System.Text.RegularExpressions;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Tags;

namespace IdentityBroker.Pools.Tags;

/// <summary>
/// What the model's lengths cannot say about an identity pool's tags: at most 50 (TagResource reference, "an identity pool
/// can have as many as 50 tags"), and AWS's tagging pattern — letters, digits, spaces and <c>_ . : / = + - @</c> — with the
/// <c>aws:</c> prefix reserved for AWS (Tagging AWS resources, "Tag naming limits and requirements").
/// </summary>
public static partial class IdentityPoolTagRules
{
    public static AwsError TooManyTags { get; } =
        CognitoErrors.InvalidParameter($"An identity pool can have at most {UserPoolTagSet.MaxTags} tags.");

    /// <summary>The first broken rule, or null; <paramref name="tags"/> is the whole set the pool would have.</summary>
    public static AwsError? Check(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null)
        {
            return null;
        }

        if (tags.Count > UserPoolTagSet.MaxTags)
        {
            return TooManyTags;
        }

        foreach (var key in tags.Keys)
        {
            if (CheckKey(key) is { } invalid)
            {
                return invalid;
            }

        }

        return null;
    }

    /// <summary>A key as TagResource and UntagResource take it.</summary>
    public static AwsError? CheckKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!KeyPattern().IsMatch(key))
        {
            return CognitoErrors.InvalidParameter("A tag key may only contain letters, digits, spaces and _ . : / = + - @.");
        }

        return key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)
            ? CognitoErrors.InvalidParameter("Tag keys beginning with 'aws:' are reserved for AWS use.")
            : null;
    }

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$")]
    private static partial Regex KeyPattern();
}
