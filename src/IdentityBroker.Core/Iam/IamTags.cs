using System.Text.RegularExpressions;
using System.Xml;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Protocol.Query;

namespace IdentityBroker.Iam;

/// <summary>
/// The <c>Tags.member.N.Key/Value</c> parameters of IAM create actions, checked against iam.service-2.json
/// (tagListType ≤ 50, tag key 1–128 and value 0–256 with IAM's tag pattern).
/// </summary>
internal static partial class IamTags
{
    private const int MaxTags = 50;
    private const string TagPatternText = @"[\p{L}\p{Z}\p{N}_.:/=+\-@]";

    public static List<KeyValuePair<string, string>> Read(QueryRequest request, IamConstraintViolations violations)
    {
        var tags = new List<KeyValuePair<string, string>>();
        for (var i = 1; ; i++)
        {
            var key = request.Get($"Tags.member.{i}.Key");
            var value = request.Get($"Tags.member.{i}.Value");
            if (key is null && value is null)
            {
                break;
            }

            var member = $"tags.{i}.member";
            violations.NotNull($"{member}.key", key);
            violations.Length($"{member}.key", key, 1, 128);
            violations.Pattern($"{member}.key", key, TagKeyPattern(), TagPatternText + "+");
            violations.NotNull($"{member}.value", value);
            violations.Length($"{member}.value", value, 0, 256);
            violations.Pattern($"{member}.value", value, TagValuePattern(), TagPatternText + "*");
            tags.Add(new(key ?? string.Empty, value ?? string.Empty));
        }

        violations.MaxItems("tags", tags.Count, MaxTags);
        return tags;
    }

    /// <summary>Null when two keys differ only by case (IAM tag keys are case-insensitive).</summary>
    public static Dictionary<string, string>? Unique(List<KeyValuePair<string, string>> tags)
    {
        var unique = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in tags)
        {
            if (!unique.TryAdd(key, value))
            {
                return null;
            }
        }

        return new Dictionary<string, string>(unique, StringComparer.Ordinal);
    }

    /// <summary>Writes <c>Tags/member/{Key,Value}</c> as IAM replies do, ordered by key.</summary>
    public static void Write(XmlWriter writer, IReadOnlyDictionary<string, string> tags)
    {
        writer.WriteStartElement("Tags");
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            writer.WriteStartElement("member");
            writer.WriteElementString("Key", key);
            writer.WriteElementString("Value", value);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$")]
    private static partial Regex TagKeyPattern();

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$")]
    private static partial Regex TagValuePattern();
}
