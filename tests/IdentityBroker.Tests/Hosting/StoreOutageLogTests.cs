using IdentityBroker.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Hosting;

[TestFixture]
public sealed class StoreOutageLogTests
{
    [Test]
    public void The_first_refusal_is_logged_at_once_and_the_next_ones_are_counted_into_one_line_per_interval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var logger = new FakeLogger<StoreOutageLog>();
        var log = new StoreOutageLog(time, logger);

        log.Refused("r1", "Redis did not answer");
        for (var i = 2; i <= 1000; i++)
        {
            log.Refused($"r{i}", "Redis did not answer");
        }

        Assert.That(logger.Collector.Count, Is.EqualTo(1), "a thousand refusals within the interval: one line");
        Assert.That(logger.LatestRecord.Message, Does.Contain("r1").And.Contain("(0 more requests refused"));

        time.Advance(StoreOutageLog.Interval);
        log.Refused("r1001", "Redis did not answer");

        Assert.That(logger.Collector.Count, Is.EqualTo(2));
        Assert.That(logger.LatestRecord.Message, Does.Contain("r1001").And.Contain("(999 more requests refused"));
        Assert.That(logger.LatestRecord.Level, Is.EqualTo(LogLevel.Warning));
    }
}
