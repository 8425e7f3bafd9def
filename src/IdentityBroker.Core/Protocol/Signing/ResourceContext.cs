namespace IdentityBroker.Protocol.Signing;

/// <summary>
/// A resource a signed call acts on, as IAM evaluates it: the ARN a policy's <c>Resource</c> element is matched against,
/// and the condition keys that describe it (<c>aws:ResourceTag/…</c>, service keys such as
/// <c>cognito-identity:IdentityPoolArn</c>, or <c>aws:RequestTag/…</c> for what a create call asks for).
/// </summary>
/// <param name="Arn">The resource ARN, or <c>*</c> for actions the Service Authorization Reference gives no resource type.</param>
/// <param name="Keys">Condition keys to their values; keys are case-insensitive, as in IAM.</param>
public sealed record ResourceContext(string Arn, IReadOnlyDictionary<string, IReadOnlyList<string>> Keys)
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoKeys = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>An action with no resource type (List*, Create* of an account-level thing): authorized against <c>*</c>.</summary>
    public static readonly ResourceContext Any = new("*", NoKeys);

    public static ResourceContext Named(string arn) => new(arn, NoKeys);

    /// <summary>A resource carrying tags: each one is <c>aws:ResourceTag/&lt;key&gt;</c>.</summary>
    public static ResourceContext Tagged(string arn, IReadOnlyDictionary<string, string>? tags) =>
        tags is null || tags.Count == 0 ? Named(arn) : new(arn, TagKeys("aws:ResourceTag/", tags, withTagKeys: false));

    /// <summary>A create call that asks for tags: <c>aws:RequestTag/&lt;key&gt;</c> for each, and <c>aws:TagKeys</c>.</summary>
    public static ResourceContext Requesting(string arn, IReadOnlyDictionary<string, string>? tags) =>
        tags is null || tags.Count == 0 ? Named(arn) : new(arn, TagKeys("aws:RequestTag/", tags, withTagKeys: true));

    /// <summary>This resource with one more condition key.</summary>
    public ResourceContext With(string key, string value) =>
        this with { Keys = new Dictionary<string, IReadOnlyList<string>>(Keys, StringComparer.OrdinalIgnoreCase) { [key] = [value] } };

    /// <summary>This resource with <paramref name="extra"/>'s keys added (a key already there takes the new values).</summary>
    public ResourceContext WithKeys(IReadOnlyDictionary<string, IReadOnlyList<string>>? extra)
    {
        if (extra is not { Count: > 0 })
        {
            return this;
        }

        var keys = new Dictionary<string, IReadOnlyList<string>>(Keys, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in extra)
        {
            keys[key] = values;
        }

        return this with { Keys = keys };
    }

    /// <summary>TagResource's request keys (<c>aws:RequestTag/…</c>, <c>aws:TagKeys</c>) on the tagged resource.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> TagRequestKeys(IReadOnlyDictionary<string, string> tags) =>
        TagKeys("aws:RequestTag/", tags, withTagKeys: true);

    /// <summary>UntagResource's request key: the keys it removes as <c>aws:TagKeys</c>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> UntagRequestKeys(IReadOnlyList<string> tagKeys) =>
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["aws:TagKeys"] = tagKeys };

    private static Dictionary<string, IReadOnlyList<string>> TagKeys(string prefix, IReadOnlyDictionary<string, string> tags, bool withTagKeys)
    {
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in tags)
        {
            keys[prefix + key] = [value];
        }

        if (withTagKeys)
        {
            keys["aws:TagKeys"] = tags.Keys.ToList();
        }

        return keys;
    }
}

/// <summary>
/// Finds the resources a call acts on. Called only when a policy has to be evaluated (never for the admin key), since it
/// may read the store (a pool's tags, the pool an identity belongs to, a role's path).
/// </summary>
public delegate ValueTask<IReadOnlyList<ResourceContext>> ResourceLookup(CancellationToken cancellationToken);
