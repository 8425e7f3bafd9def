using System.Diagnostics;
using System.Diagnostics.Metrics;
using IdentityBroker.Observability;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Observability;

/// <summary>
/// The calls the edge completes, as instruments of the meter <see cref="BrokerMetrics.MeterName"/>: a counter of calls and a
/// histogram of their durations, both labelled service, operation and outcome (<c>success</c> or the AWS error type), and a
/// counter of calls refused by throttling (docs/metrics.md). Any listener (dotnet-counters, the OpenTelemetry exporter of
/// <c>/metrics</c>) can read them; nothing is recorded while none listens.
/// <para>
/// Cost on the hot path: the labels are strings the broker already holds (route and operation tables, the error catalogue)
/// and <see cref="TagList"/> keeps them inline on the stack, so a call allocates nothing here; the error type passes a
/// <see cref="LabelValueCap"/> (one dictionary lookup). With no listener each instrument returns after one enabled check.
/// </para>
/// </summary>
internal sealed class CallMetrics : ICallObserver
{
    public const string CallsName = "identitybroker.calls";
    public const string DurationName = "identitybroker.call.duration";
    public const string ThrottledName = "identitybroker.calls.throttled";

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _throttled;
    private readonly LabelValueCap _errorTypes;

    public CallMetrics(IMeterFactory meters, IOptions<BrokerOptions> options)
    {
        var meter = meters.Create(BrokerMetrics.MeterName);
        _calls = meter.CreateCounter<long>(CallsName, "{call}", "AWS calls answered, by service, operation and outcome");
        _duration = meter.CreateHistogram<double>(DurationName, "s", "Time from a call's arrival to its reply being ready",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _throttled = meter.CreateCounter<long>(ThrottledName, "{call}", "AWS calls refused by throttling, by service and operation");
        _errorTypes = new LabelValueCap(options.Value.Metrics.MaxLabelValues);
    }

    public void OnCallCompleted(in CallCompleted call)
    {
        var outcome = Outcome(call);
        var tags = new TagList
        {
            { "service", call.Service },
            { "operation", call.Operation },
            { "outcome", outcome },
        };
        _calls.Add(1, in tags);
        _duration.Record(call.Duration.TotalSeconds, in tags);
        if (IsThrottling(call.ErrorType))
        {
            _throttled.Add(1, new TagList { { "service", call.Service }, { "operation", call.Operation } });
        }
    }

    /// <summary>
    /// <c>success</c>, or the AWS error code of the reply (from the broker's catalogue, capped all the same); an error reply
    /// without a code (none is expected) says who was at fault, as AWS's Sender/Receiver.
    /// </summary>
    internal string Outcome(in CallCompleted call) => call switch
    {
        { ErrorType: { } type } => _errorTypes.Of(type),
        { StatusCode: < 400 } => BrokerMetrics.Success,
        { StatusCode: < 500 } => "client_error",
        _ => "server_error",
    };

    /// <summary>The throttling error of each protocol: JSON 1.1 and REST-JSON say TooManyRequestsException, Query says Throttling.</summary>
    internal static bool IsThrottling(string? errorType) => errorType is "TooManyRequestsException" or "Throttling";
}
