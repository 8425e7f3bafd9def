using System.Diagnostics;
using System.Diagnostics.Metrics;
using IdentityBroker.Observability;

namespace IdentityBroker.Server.Observability;

/// <summary>
/// The calls the edge completes, as System.Diagnostics.Metrics instruments of the meter <see cref="MeterName"/>: a counter of
/// calls and a histogram of their durations, both labelled service, operation and outcome. Any listener (dotnet-counters,
/// an OpenTelemetry exporter) can read them; nothing is recorded while none listens.
/// <para>
/// Cost on the hot path: the three labels are strings the broker already holds (route and operation tables, three outcome
/// constants) and <see cref="TagList"/> keeps up to eight of them inline on the stack, so a call allocates nothing here; with no
/// listener each instrument returns after one enabled check.
/// </para>
/// </summary>
internal sealed class CallMetrics : ICallObserver
{
    public const string MeterName = "IdentityBroker";
    public const string CallsName = "identitybroker.calls";
    public const string DurationName = "identitybroker.call.duration";

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    public CallMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>(CallsName, "{call}", "AWS calls answered, by service, operation and outcome");
        _duration = meter.CreateHistogram<double>(DurationName, "s", "Time from a call's arrival to its reply being ready");
    }

    public void OnCallCompleted(in CallCompleted call)
    {
        var tags = new TagList
        {
            { "service", call.Service },
            { "operation", call.Operation },
            { "outcome", Outcome(call.StatusCode) },
        };
        _calls.Add(1, in tags);
        _duration.Record(call.Duration.TotalSeconds, in tags);
    }

    /// <summary>Who was at fault, as AWS's Sender/Receiver: the caller (4xx) or the broker (5xx).</summary>
    private static string Outcome(int statusCode) => statusCode switch
    {
        < 400 => "success",
        < 500 => "client_error",
        _ => "server_error",
    };
}
