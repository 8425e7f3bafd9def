using System.Text;

namespace IdentityBroker.Validation;

/// <summary>
/// Words one failure as the AWS front end does: <c>Value '&lt;v&gt;' at '&lt;path&gt;' failed to satisfy constraint: &lt;c&gt;</c>.
/// Values are printed as Java's <c>toString</c> would (<c>[a, b]</c> for lists, <c>{k=v, k2=v2}</c> for maps, <c>null</c>
/// for a missing member).
/// </summary>
internal static class Echo
{
    /// <summary>
    /// AWS appears to echo values in full (aws-amplify/amplify-cli #14940 shows a ~50 KB template echoed back).
    /// We cap what we echo so that a hostile 50,000-character value cannot bloat the error body, the
    /// <c>x-amzn-ErrorMessage</c> header or the logs; the constraint text still tells the caller what is wrong.
    /// </summary>
    internal const int MaxEchoedChars = 256;

    private const string Ellipsis = "...";

    public static string Shown(string shownValue, string path, string constraint) =>
        $"Value '{shownValue}' at '{path}' failed to satisfy constraint: {constraint}";

    public static string Null(string path, string constraint = Constraint.NotNull) =>
        $"Value null at '{path}' failed to satisfy constraint: {constraint}";

    /// <summary>
    /// The value-less form AWS uses for members it does not echo, e.g. sensitive ones (OpenSearch:
    /// <c>Value at 'advancedSecurityOptions.sAMLOptions.masterUserName' failed to satisfy constraint: …</c>; CodePipeline:
    /// <c>Value at 'pipeline.stages.2.member.actions.1.member.configuration' failed to satisfy constraint: Map value must …</c>).
    /// Real Cognito answers for Logins were only seen with empty tokens (<c>Value '{graph.facebook.com=}' at 'logins'</c>),
    /// which reveal nothing; since a token must never be echoed, every Logins failure uses this form.
    /// </summary>
    public static string Hidden(string path, string constraint) =>
        $"Value at '{path}' failed to satisfy constraint: {constraint}";

    public static string Text(string value) =>
        value.Length <= MaxEchoedChars ? value : string.Concat(value.AsSpan(0, MaxEchoedChars), Ellipsis);

    public static string List(List<string>? items)
    {
        if (items is null)
        {
            return "null";
        }

        var builder = new StringBuilder("[");
        for (var i = 0; i < items.Count && builder.Length <= MaxEchoedChars; i++)
        {
            builder.Append(i == 0 ? string.Empty : ", ").Append(items[i] ?? "null");
        }

        return Close(builder, ']');
    }

    public static string Map(Dictionary<string, string>? map)
    {
        if (map is null)
        {
            return "null";
        }

        var builder = new StringBuilder("{");
        var first = true;
        foreach (var (key, value) in map)
        {
            if (builder.Length > MaxEchoedChars)
            {
                break;
            }

            builder.Append(first ? string.Empty : ", ").Append(key).Append('=').Append(value ?? "null");
            first = false;
        }

        return Close(builder, '}');
    }

    private static string Close(StringBuilder builder, char closing)
    {
        if (builder.Length > MaxEchoedChars)
        {
            builder.Length = MaxEchoedChars;
            return builder.Append(Ellipsis).ToString();
        }

        return builder.Append(closing).ToString();
    }
}
