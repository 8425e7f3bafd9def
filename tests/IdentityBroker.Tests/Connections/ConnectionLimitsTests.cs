using System.Net.Sockets;
using IdentityBroker.Server.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Connections;

[TestFixture]
public sealed class ConnectionLimitsTests
{
    private const string ProcLimits = """
        Limit                     Soft Limit           Hard Limit           Units
        Max cpu time              unlimited            unlimited            seconds
        Max open files            20000                524288               files
        Max locked memory         8388608              8388608              bytes
        """;

    [Test]
    public void The_soft_open_files_limit_is_read_from_proc_self_limits() =>
        Assert.That(ConnectionBudget.SoftOpenFilesLimit(ProcLimits), Is.EqualTo(20000));

    [Test]
    public void An_unlimited_or_missing_open_files_line_reads_as_unknown()
    {
        Assert.That(ConnectionBudget.SoftOpenFilesLimit(ProcLimits.Replace("20000  ", "unlimited", StringComparison.Ordinal)), Is.Null);
        Assert.That(ConnectionBudget.SoftOpenFilesLimit("Max cpu time unlimited unlimited seconds"), Is.Null);
    }

    [Test]
    public void The_default_leaves_a_reserve_below_the_descriptor_limit_and_never_exceeds_the_ceiling()
    {
        var small = new ConnectionBudget(1024, 150);
        Assert.That(small.DefaultMaxConcurrentConnections(0), Is.EqualTo(1024 - 150 - (512 + 128)));

        var large = new ConnectionBudget(1_048_576, 150);
        Assert.That(large.DefaultMaxConcurrentConnections(0), Is.EqualTo(ConnectionBudget.DefaultCeiling));

        var unknown = new ConnectionBudget(null, 0);
        Assert.That(unknown.DefaultMaxConcurrentConnections(0), Is.EqualTo(ConnectionBudget.DefaultCeiling));
    }

    [Test]
    public void The_defaults_pass_validation_under_a_common_descriptor_limit() =>
        Assert.That(Failures(new BrokerOptions(), new ConnectionBudget(20000, 200)), Is.Empty);

    [Test]
    public void An_explicit_limit_above_what_descriptors_allow_stops_the_start_naming_the_key_and_the_numbers()
    {
        var options = new BrokerOptions { Http = { MaxConcurrentConnections = 5000 } };

        var failures = Failures(options, new ConnectionBudget(4096, 200));

        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(failures[0], Does.Contain("Broker:Http:MaxConcurrentConnections (5000)").And.Contain("4096").And.Contain("LimitNOFILE"));
    }

    [Test]
    public void Upgraded_connections_count_against_the_same_descriptors()
    {
        var options = new BrokerOptions { Http = { MaxConcurrentConnections = 3000, MaxConcurrentUpgradedConnections = 500 } };

        Assert.That(Failures(options, new ConnectionBudget(4096, 200)), Has.Count.EqualTo(1));
    }

    [Test]
    public void A_descriptor_limit_too_low_for_any_connection_stops_the_start() =>
        Assert.That(Failures(new BrokerOptions(), new ConnectionBudget(600, 150)), Has.One.Contains("No connection can be served"));

    [TestCase("MaxConcurrentConnections")]
    [TestCase("MaxConcurrentUpgradedConnections")]
    [TestCase("KeepAliveTimeout")]
    [TestCase("RequestHeadersTimeout")]
    [TestCase("MaxRequestHeaderCount")]
    [TestCase("MaxRequestHeadersTotalSize")]
    public void Each_limit_out_of_range_is_refused_by_name(string key)
    {
        var options = new BrokerOptions();
        _ = key switch
        {
            "MaxConcurrentConnections" => options.Http.MaxConcurrentConnections = 0,
            "MaxConcurrentUpgradedConnections" => options.Http.MaxConcurrentUpgradedConnections = -1,
            "KeepAliveTimeout" => (options.Http.KeepAliveTimeout = TimeSpan.Zero).Ticks,
            "RequestHeadersTimeout" => (options.Http.RequestHeadersTimeout = TimeSpan.FromHours(1)).Ticks,
            "MaxRequestHeaderCount" => options.Http.MaxRequestHeaderCount = 0,
            _ => options.Http.MaxRequestHeadersTotalSize = 10 * 1024 * 1024,
        };

        Assert.That(Failures(options, new ConnectionBudget(null, 0)), Has.One.Contains($"Broker:Http:{key}"));
    }

    [Test]
    public void Refused_connections_and_accept_failures_are_logged_once_per_interval_with_the_count_held_back()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var logger = new FakeLogger<ConnectionLog>();
        var log = new ConnectionLog(time, logger);

        for (var i = 0; i < 1000; i++)
        {
            log.Refused(50);
            log.AcceptFailed(SocketError.TooManyOpenSockets, TimeSpan.FromSeconds(1));
        }

        Assert.That(logger.Collector.Count, Is.EqualTo(2), "a thousand of each within the interval: one line each");

        time.Advance(ConnectionLog.Interval);
        log.AcceptFailed(SocketError.TooManyOpenSockets, TimeSpan.FromSeconds(1));

        Assert.That(logger.Collector.Count, Is.EqualTo(3));
        Assert.That(logger.LatestRecord.Message, Does.Contain("TooManyOpenSockets").And.Contain("999 more failures"));
        Assert.That(logger.LatestRecord.Level, Is.EqualTo(LogLevel.Error));
    }

    private static List<string> Failures(BrokerOptions options, ConnectionBudget budget) =>
        [.. new ConnectionLimitsValidation(budget).Validate(null, options).Failures ?? []];
}
