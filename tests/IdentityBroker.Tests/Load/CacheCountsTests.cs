using IdentityBroker.Load;

namespace IdentityBroker.Tests.Load;

/// <summary>The load tool's reading of the verified-token cache counter from a /metrics scrape.</summary>
public sealed class CacheCountsTests
{
    [Test]
    public void Hits_and_misses_are_summed_over_every_series_of_the_counter()
    {
        var scrape = """
            # TYPE broker_verified_token_cache_total counter
            broker_verified_token_cache_total{otel_scope_name="IdentityBroker",result="hit"} 30 1733600000000
            broker_verified_token_cache_total{otel_scope_name="IdentityBroker",result="miss"} 10
            broker_verified_token_cache_total{otel_scope_name="Other",result="hit"} 2
            http_server_request_duration_seconds_count{result="hit"} 999
            """;

        Assert.That(CacheCounts.Parse(scrape), Is.EqualTo(new CacheCounts(32, 10)));
    }

    [Test]
    public void A_scrape_without_the_counter_gives_no_counts_and_the_hit_rate_is_not_available()
    {
        var counts = CacheCounts.Parse("# TYPE x counter\nx_total{result=\"hit\"} 5\n");

        Assert.Multiple(() =>
        {
            Assert.That(counts, Is.Null);
            Assert.That(CacheCounts.HitRate(counts, new CacheCounts(1, 1)), Is.EqualTo("n/a"));
        });
    }

    [Test]
    public void The_hit_rate_is_of_the_lookups_between_two_scrapes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CacheCounts.HitRate(new CacheCounts(100, 50), new CacheCounts(190, 60)), Is.EqualTo("90.0 %"));
            Assert.That(CacheCounts.HitRate(new CacheCounts(5, 5), new CacheCounts(5, 5)), Is.EqualTo("n/a"), "no lookups in between");
        });
    }
}
