using System.Diagnostics.Metrics;
using IdentityBroker.Observability;
using IdentityBroker.Server.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tests.Observability;

/// <summary>The broker's call metrics cost no allocation per call, even while a listener records every measurement.</summary>
[TestFixture]
public sealed class CallMetricsTests
{
    [Test]
    public void Recording_a_call_allocates_nothing_while_a_listener_listens()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var metrics = new CallMetrics(meters, Options.Create(new BrokerOptions()));
        long calls = 0;
        double seconds = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => calls += value);
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => seconds += value);
        listener.Start();
        var call = new CallCompleted("cognito-identity", "GetId", null, 200, null, TimeSpan.FromMilliseconds(2), "request-id", "127.0.0.1");
        metrics.OnCallCompleted(in call); // first use: JIT and lazy state are not per call

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            metrics.OnCallCompleted(in call);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(calls, Is.EqualTo(1001));
            Assert.That(seconds, Is.EqualTo(1001 * 0.002).Within(1e-9));
        });
    }
}
