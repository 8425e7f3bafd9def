using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Tags;

/// <summary>The tag arithmetic of TagResource and UntagResource, on the pool's UserPoolTags (null when it has none).</summary>
public static class UserPoolTagSet
{
    /// <summary>The TagResource reference: "A user pool can have as many as 50 tags."</summary>
    public const int MaxTags = 50;

    public static AwsError TooManyTags { get; } =
        UserPoolErrors.InvalidParameter($"A user pool can have at most {MaxTags} tags.");

    /// <summary>The tags with <paramref name="added"/> set (a key already there takes the new value), or null when over the limit.</summary>
    public static IReadOnlyDictionary<string, string>? Add(IReadOnlyDictionary<string, string>? current, IReadOnlyDictionary<string, string> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        var tags = current is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var (key, value) in added)
        {
            tags[key] = value;
        }

        return tags.Count > MaxTags ? null : tags;
    }

    /// <summary>The tags without <paramref name="keys"/> (keys not there are ignored); null when none is left.</summary>
    public static IReadOnlyDictionary<string, string>? Remove(IReadOnlyDictionary<string, string>? current, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (current is null)
        {
            return null;
        }

        var tags = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            tags.Remove(key);
        }

        return tags.Count == 0 ? null : tags;
    }
}
