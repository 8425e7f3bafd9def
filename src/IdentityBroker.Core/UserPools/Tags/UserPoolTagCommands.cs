namespace IdentityBroker.UserPools.Tags;

public sealed record TagResource(string ResourceArn, IReadOnlyDictionary<string, string> Tags);

public sealed record UntagResource(string ResourceArn, IReadOnlyList<string> TagKeys);

public sealed record ListTagsForResource(string ResourceArn);
