using System.Text;

namespace IdentityBroker.Protocol.Query;

/// <summary>Decodes <c>application/x-www-form-urlencoded</c> text (form body or query string) into parameters.</summary>
public static class QueryParameters
{
    /// <summary>At most this many parameters are read; AWS Query requests of the supported actions need far fewer.</summary>
    public const int MaxParameters = 1000;

    public static Dictionary<string, string>? TryParse(ReadOnlySpan<byte> body, string queryString)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        return Add(parameters, queryString) && Add(parameters, Encoding.UTF8.GetString(body)) ? parameters : null;
    }

    private static bool Add(Dictionary<string, string> parameters, string text)
    {
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (parameters.Count >= MaxParameters)
            {
                return false;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            if (name is null || value is null)
            {
                return false;
            }

            parameters[name] = value;
        }

        return true;
    }

    private static string? Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
