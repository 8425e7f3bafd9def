using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IdentityBroker.Observability;

/// <summary>
/// How long the store takes to answer, as the OpenTelemetry database-client histogram <c>db.client.operation.duration</c>
/// (seconds) labelled <c>db.system.name</c> (<c>sqlite</c>, <c>redis</c>). Each store records at the one place every call
/// passes through (SQLite: its read pool and write queue, so a write's time includes its wait for the group commit;
/// Redis: its outage guard). A static meter because stores are built without the host's services (tools, tests).
/// </summary>
public static class StoreMetrics
{
    public const string MeterName = "IdentityBroker.Storage";
    public const string DurationName = "db.client.operation.duration";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        DurationName, "s", "Time the store took to answer one call, waits included",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    /// <summary>Records the time since <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public static void Record(string system, long startTimestamp)
    {
        if (!Duration.Enabled)
        {
            return;
        }

        Duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("db.system.name", system));
    }
}
