using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityBroker.Errors;

namespace IdentityBroker.Sts;

/// <summary>Reads the payload claims STS uses, with the session-tag limits of the STS API reference (≤50 tags, key ≤128, value ≤256).</summary>
internal static partial class WebIdentityClaims
{
    public const string TagsClaim = "https://aws.amazon.com/tags";
    public const string SourceIdentityClaim = "https://aws.amazon.com/source_identity";
    private const int MaxTags = 50;

    /// <summary>A string claim or an array of strings (aud, amr).</summary>
    public static IReadOnlyList<string> Strings(JsonElement payload, string name)
    {
        if (!payload.TryGetProperty(name, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList(),
            _ => [],
        };
    }

    public static string? String(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary><c>{"principal_tags": {"k": ["v"]}, "transitive_tag_keys": ["k"]}</c>.</summary>
    public static Result<SessionTagSet> Tags(JsonElement payload)
    {
        if (!payload.TryGetProperty(TagsClaim, out var claim))
        {
            return SessionTagSet.Empty;
        }

        if (claim.ValueKind != JsonValueKind.Object)
        {
            return InvalidTags();
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (claim.TryGetProperty("principal_tags", out var principalTags))
        {
            if (principalTags.ValueKind != JsonValueKind.Object)
            {
                return InvalidTags();
            }

            foreach (var tag in principalTags.EnumerateObject())
            {
                if (TagValue(tag.Value) is not { } value)
                {
                    return InvalidTags();
                }

                tags[tag.Name] = value;
            }
        }

        return Tags(tags, Strings(claim, "transitive_tag_keys"));
    }

    /// <summary>The limits every session tag set must meet, whether read from a token's JSON or from claims the broker signed.</summary>
    public static Result<SessionTagSet> Tags(IReadOnlyDictionary<string, string> tags, IReadOnlyList<string> transitive)
    {
        if (tags.Count > MaxTags || transitive.Any(k => !tags.ContainsKey(k)))
        {
            return InvalidTags();
        }

        foreach (var (key, value) in tags)
        {
            if (!ValidTag(key, value))
            {
                return InvalidTags();
            }
        }

        return tags.Count == 0 && transitive.Count == 0 ? SessionTagSet.Empty : new SessionTagSet(tags, transitive);
    }

    /// <summary>Cognito writes each value as a one-element array; a plain string is accepted too.</summary>
    private static string? TagValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Array when value.GetArrayLength() == 1 && value[0].ValueKind == JsonValueKind.String => value[0].GetString(),
        _ => null,
    };

    private static bool ValidTag(string key, string value) =>
        key.Length is >= 1 and <= 128 && value.Length <= 256 && TagPattern().IsMatch(key) && (value.Length == 0 || TagPattern().IsMatch(value));

    private static AwsError InvalidTags() =>
        StsErrors.InvalidIdentityToken("The session tags in the web identity token are invalid.");

    // sts.service-2.json tagKeyType / tagValueType.
    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]+\z")]
    private static partial Regex TagPattern();
}
