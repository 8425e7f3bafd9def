using System.Text;
using IdentityBroker.Errors;
using IdentityBroker.Limits;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Query;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Limits;

public sealed class LimitsTests
{
    private FakeTimeProvider _time = null!;

    /// <summary>A new clock for each test: NUnit runs every test of a fixture on one instance.</summary>
    [SetUp]
    public void StartClock() => _time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task The_guest_quota_engages_after_its_count_per_address_and_releases_in_the_next_minute()
    {
        var quota = new GuestQuota(Options.Create(new LimitsOptions { GuestsPerAddressPerMinute = 2 }), new LocalRateCounter(), _time);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.That(await quota.CheckAsync("203.0.113.7", default), Is.Null);
        Assert.That(await quota.CheckAsync("203.0.113.7", default), Is.Null);

        var refused = await quota.CheckAsync("203.0.113.7", default);
        Assert.That(refused?.Type, Is.EqualTo("TooManyRequestsException"));
        Assert.That(refused!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(40)));
        Assert.That(await quota.CheckAsync("198.51.100.1", default), Is.Null, "another address has its own count");

        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.That(await quota.CheckAsync("203.0.113.7", default), Is.Null, "released in the next window");
    }

    [Test]
    public async Task The_guest_quota_set_to_zero_never_refuses()
    {
        var quota = new GuestQuota(Options.Create(new LimitsOptions { GuestsPerAddressPerMinute = 0 }), new LocalRateCounter(), _time);
        for (var i = 0; i < 100; i++)
        {
            Assert.That(await quota.CheckAsync("203.0.113.7", default), Is.Null);
        }
    }

    [Test]
    public async Task An_operation_limit_counts_per_second_and_releases_the_next_second()
    {
        var limits = Limits(new() { ["cognito-identity"] = new() { ["DescribeIdentity"] = 2 } });
        Assert.That(limits.IsEmpty, Is.False);
        Assert.That(await limits.CheckAsync("cognito-identity", "DescribeIdentity", default), Is.Null);
        Assert.That(await limits.CheckAsync("cognito-identity", "DescribeIdentity", default), Is.Null);
        Assert.That((await limits.CheckAsync("cognito-identity", "DescribeIdentity", default))?.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(await limits.CheckAsync("cognito-identity", "ListIdentities", default), Is.Null, "an operation without a limit");

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await limits.CheckAsync("cognito-identity", "DescribeIdentity", default), Is.Null);
    }

    [Test]
    public async Task The_cognito_preset_limits_a_user_pool_category_as_one_count_and_an_operation_set_to_zero_is_lifted()
    {
        var limits = Limits(new() { ["cognito-identity"] = new() { ["GetId"] = 0 } }, LimitsOptions.CognitoPreset);
        for (var i = 0; i < 25; i++)
        {
            await limits.CheckAsync("cognito-idp", i % 2 == 0 ? "InitiateAuth" : "AdminInitiateAuth", default);
        }

        for (var i = 0; i < 95; i++)
        {
            Assert.That(await limits.CheckAsync("cognito-idp", "AdminInitiateAuth", default), Is.Null);
        }

        Assert.That(await limits.CheckAsync("cognito-idp", "InitiateAuth", default), Is.Not.Null, "UserAuthentication: 120 a second together");
        for (var i = 0; i < 100; i++)
        {
            Assert.That(await limits.CheckAsync("cognito-identity", "GetId", default), Is.Null);
        }
    }

    [Test]
    public void No_preset_and_no_operation_leaves_the_limits_empty()
    {
        Assert.That(Limits(new()).IsEmpty, Is.True);
    }

    [Test]
    public void Throttling_is_TooManyRequestsException_in_json_and_Throttling_in_query_both_with_retry_after()
    {
        var error = CognitoErrors.TooManyRequests(TimeSpan.FromMilliseconds(1200));
        var json = JsonReplies.Error(error, "req");
        Assert.That(json.ErrorType, Is.EqualTo("TooManyRequestsException"));
        Assert.That(json.Headers, Does.Contain(KeyValuePair.Create("Retry-After", "2")));

        var query = QueryXml.Error(error, "https://sts.amazonaws.com/doc/2011-06-15/", "req");
        Assert.That(query.ErrorType, Is.EqualTo("Throttling"));
        Assert.That(Encoding.UTF8.GetString(query.Body.Span), Does.Contain("<Code>Throttling</Code>"));
        Assert.That(query.Headers, Does.Contain(KeyValuePair.Create("Retry-After", "2")));
    }

    [Test]
    public void Other_errors_carry_no_retry_after()
    {
        Assert.That(JsonReplies.Error(CognitoErrors.InvalidParameter("x"), "req").Headers.Select(h => h.Key), Does.Not.Contain("Retry-After"));
    }

    [TestCase("Fast", 1, "Preset")]
    [TestCase("None", -1, "GuestsPerAddressPerMinute")]
    public void Wrong_options_name_the_key_to_fix(string preset, int guests, string key)
    {
        var result = new LimitsOptionsValidator().Validate(null, new LimitsOptions { Preset = preset, GuestsPerAddressPerMinute = guests });
        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("Broker:Limits:" + key));
    }

    [Test]
    public void A_negative_operation_rate_is_refused()
    {
        var options = new LimitsOptions { Operations = new() { ["cognito-identity"] = new() { ["GetId"] = -1 } } };
        Assert.That(new LimitsOptionsValidator().Validate(null, options).FailureMessage, Does.Contain("Operations:cognito-identity:GetId"));
    }

    private OperationLimits Limits(Dictionary<string, Dictionary<string, int>> operations, string preset = LimitsOptions.NoPreset) =>
        new(Options.Create(new LimitsOptions { Preset = preset, Operations = operations }), new LocalRateCounter(), _time);
}
