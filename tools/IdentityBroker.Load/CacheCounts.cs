using System.Globalization;

namespace IdentityBroker.Load;

/// <summary>Hits and misses of the broker's verified-token cache, as one /metrics scrape shows them.</summary>
public sealed record CacheCounts(double Hits, double Misses)
{
    /// <summary>
    /// Counter lines whose name contains this (the OpenTelemetry Prometheus exporter adds _total and may add a unit),
    /// with a result="hit" or result="miss" label; every series of each is summed.
    /// </summary>
    public const string NamePart = "verified_token_cache";

    /// <summary>The counts in a Prometheus text scrape, or null when the broker has no such counter (an older broker, or metrics off).</summary>
    public static CacheCounts? Parse(string scrape)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        double hits = 0, misses = 0;
        var found = false;
        foreach (var raw in scrape.Split('\n'))
        {
            var line = raw.Trim();
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var close = line.LastIndexOf('}');
            if (line.StartsWith('#') || brace < 0 || close < brace || !line[..brace].Contains(NamePart, StringComparison.Ordinal))
            {
                continue;
            }

            var labels = line[(brace + 1)..close];
            var value = line[(close + 1)..].Trim().Split(' ')[0];
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
            {
                continue;
            }

            if (labels.Contains("result=\"hit\"", StringComparison.Ordinal))
            {
                hits += count;
                found = true;
            }
            else if (labels.Contains("result=\"miss\"", StringComparison.Ordinal))
            {
                misses += count;
                found = true;
            }
        }

        return found ? new CacheCounts(hits, misses) : null;
    }

    /// <summary>Reads /metrics; null when it is not there or has no cache counter.</summary>
    public static async Task<CacheCounts?> ScrapeAsync(Uri broker)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var reply = await http.GetAsync(new Uri(broker, "/metrics"));
            return reply.IsSuccessStatusCode ? Parse(await reply.Content.ReadAsStringAsync()) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Hit rate between two scrapes: "n/a" when either has no counter or nothing was looked up in between.</summary>
    public static string HitRate(CacheCounts? before, CacheCounts? after)
    {
        if (before is null || after is null)
        {
            return "n/a";
        }

        var hits = after.Hits - before.Hits;
        var lookups = hits + after.Misses - before.Misses;
        return lookups <= 0 ? "n/a" : FormattableString.Invariant($"{hits / lookups * 100:F1} %");
    }
}
