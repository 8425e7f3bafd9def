using IdentityBroker.Observability;
using IdentityBroker.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Hosting;

[TestFixture]
public sealed class ClientAbortsTests
{
    private FakeTimeProvider _time = null!;
    private FakeLogger<ClientAborts> _logger = null!;
    private ClientAborts _aborts = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        _logger = new FakeLogger<ClientAborts>();
        _aborts = new ClientAborts(_time, _logger);
    }

    [Test]
    public void Aborts_are_debug_lines_without_a_stack_counted_into_one_line_per_interval()
    {
        for (var i = 1; i <= 500; i++)
        {
            _aborts.End(new DefaultHttpContext(), $"r{i}", new BadHttpRequestException("Unexpected end of request content."));
        }

        _time.Advance(LogThrottle.Interval);
        _aborts.End(new DefaultHttpContext(), "r501", new IOException("Connection reset by peer"));

        Assert.That(_logger.Collector.Count, Is.EqualTo(2));
        var latest = _logger.LatestRecord;
        Assert.Multiple(() =>
        {
            Assert.That(latest.Level, Is.EqualTo(LogLevel.Debug));
            Assert.That(latest.Exception, Is.Null);
            Assert.That(latest.Message, Does.Contain("r501").And.Contain("IOException: Connection reset by peer").And.Contain("(499 more"));
        });
    }

    [Test]
    public void A_broken_body_gets_kestrels_status_and_the_connection_is_kept_for_it()
    {
        var (context, lifetime) = Context();

        _aborts.End(context, "r1", new BadHttpRequestException("Request timed out.", StatusCodes.Status408RequestTimeout));

        Assert.That(context.Response.StatusCode, Is.EqualTo(408));
        Assert.That(lifetime.Aborted, Is.False);
    }

    [Test]
    public void A_reset_connection_is_aborted_so_that_kestrel_does_not_drain_it()
    {
        var (context, lifetime) = Context();

        _aborts.End(context, "r1", new IOException("Connection reset by peer"));

        Assert.That(lifetime.Aborted, Is.True);
    }

    [TestCase(typeof(BadHttpRequestException), ExpectedResult = true)]
    [TestCase(typeof(IOException), ExpectedResult = true)]
    [TestCase(typeof(OperationCanceledException), ExpectedResult = true)]
    [TestCase(typeof(InvalidOperationException), ExpectedResult = false)]
    [TestCase(typeof(NullReferenceException), ExpectedResult = false)]
    public bool Only_transport_failures_are_client_events(Type type) =>
        ClientAborts.IsClientEvent((Exception)Activator.CreateInstance(type, "x")!);

    private static (DefaultHttpContext Context, RecordingLifetime Lifetime) Context()
    {
        var context = new DefaultHttpContext();
        var lifetime = new RecordingLifetime();
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        return (context, lifetime);
    }

    private sealed class RecordingLifetime : IHttpRequestLifetimeFeature
    {
        public bool Aborted { get; private set; }

        public CancellationToken RequestAborted { get; set; }

        public void Abort() => Aborted = true;
    }
}
