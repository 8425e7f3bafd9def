using IdentityBroker.Audit;

namespace IdentityBroker.Server.Console;

/// <summary>One chart: a title, the value of each bucket (oldest first) and how a value is labelled.</summary>
public sealed record ChartSeries(string Title, IReadOnlyList<double> Values, string Unit);

public sealed record OverviewModel(ConsoleCall Call, ChartSeries Requests, ChartSeries Errors, IReadOnlyList<ChartSeries> CredentialsByRole, int Events, bool Truncated);

/// <summary>
/// The overview (docs/console.md, "Overview"): requests per second, errors and credentials issued by role over the last
/// 15 minutes, computed from the audit trail in 30-second buckets. At most <see cref="MaxEvents"/> events are read; beyond
/// that the page says the counts are partial.
/// </summary>
internal static class OverviewPage
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Bucket = TimeSpan.FromSeconds(30);
    private const int MaxEvents = 5000;
    private const int PageSize = 500;

    public static async Task<IResult> ShowAsync(HttpContext http, IAuditStore audit, TimeProvider time)
    {
        var call = ConsoleCall.Of(http);
        var now = time.GetUtcNow();
        var events = new List<AuditRecord>();
        AuditCursor? after = null;
        do
        {
            var page = await audit.LookupAuditAsync(new AuditQuery(now - Window, now, null, null, PageSize, after), call.Aborted);
            events.AddRange(page.Events);
            after = page.Next;
        }
        while (after is not null && events.Count < MaxEvents);
        return ConsoleEndpoints.Page<OverviewView>(new { Model = Compute(call, events, now, after is not null) });
    }

    internal static OverviewModel Compute(ConsoleCall call, IReadOnlyList<AuditRecord> events, DateTimeOffset now, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(events);
        var buckets = (int)(Window / Bucket);
        var requests = new double[buckets];
        var errors = new double[buckets];
        var roles = new SortedDictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var record in events)
        {
            var index = (int)((record.EventTime - (now - Window)) / Bucket);
            if (index < 0 || index >= buckets)
            {
                continue;
            }

            requests[index] += 1 / Bucket.TotalSeconds;
            var failed = AuditView.ErrorCode(record) is not null;
            if (failed)
            {
                errors[index]++;
            }
            else if (record.EventName == "GetCredentialsForIdentity")
            {
                // The chosen role is one of the event's resources (the audit trail's ResourceName for roles).
                var role = record.Resources.FirstOrDefault(r => r.ResourceType == "AWS::IAM::Role")?.ResourceName ?? "(no role)";
                if (!roles.TryGetValue(role, out var counts))
                {
                    roles[role] = counts = new double[buckets];
                }

                counts[index]++;
            }
        }

        return new OverviewModel(call, new ChartSeries("Requests per second", requests, "req/s"), new ChartSeries("Errors", errors, "errors"),
            [.. roles.Select(r => new ChartSeries(r.Key, r.Value, "credentials"))], events.Count, truncated);
    }
}
