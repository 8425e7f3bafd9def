using IdentityBroker.Credentials;
using IdentityBroker.Federation;
using IdentityBroker.Pools;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Credentials;

public sealed class CredentialDurationTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void StartClock() => _time = new FakeTimeProvider(Start);

    [Test]
    public async Task A_cap_setting_that_is_not_a_boolean_stops_start_up_naming_the_key()
    {
        var data = Path.Combine(Path.GetTempPath(), "ib-cap-" + Guid.NewGuid().ToString("N"));
        var app = IdentityBroker.Server.BrokerApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Broker:DataDirectory"] = data;
            builder.Configuration["Broker:SeedDemoPool"] = "false";
            builder.Configuration["Broker:Admin:AccessKeyId"] = Replicas.BrokerReplica.AccessKeyId;
            builder.Configuration["Broker:Admin:SecretAccessKey"] = Replicas.BrokerReplica.Secret;
            builder.Configuration["Broker:Credentials:CapAtLoginExpiry"] = "sometimes";
            builder.Configuration["Logging:LogLevel:Default"] = "None";
        });
        await using (app)
        {
            var failure = Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
            Assert.That(failure!.Message, Does.Contain("Broker:Credentials:CapAtLoginExpiry"));
        }

        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public void Without_caps_the_requested_duration_is_kept_and_null_stays_the_sts_default()
    {
        var durations = Durations(capAtLoginExpiry: false);
        Assert.That(durations.Choose(Pool(), [Login(Start.AddMinutes(20))], null).Value, Is.Null);
        Assert.That(durations.Choose(Pool(), [Login(Start.AddMinutes(20))], 7200).Value, Is.EqualTo(7200));
    }

    [Test]
    public void The_cap_at_login_expiry_lowers_the_default_hour_to_the_seconds_the_login_has_left()
    {
        var durations = Durations(capAtLoginExpiry: true);
        var chosen = durations.Choose(Pool(), [Login(Start.AddMinutes(20).AddMilliseconds(900))], null);
        Assert.That(chosen.Value, Is.EqualTo(1200), "rounded down: the credentials end at or before the login");

        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.That(durations.Choose(Pool(), [Login(Start.AddMinutes(20))], null).Value, Is.EqualTo(960), "the fake clock moved 4 minutes");
    }

    [Test]
    public void The_earliest_login_of_several_sets_the_cap_and_a_login_without_expiry_sets_none()
    {
        var durations = Durations(capAtLoginExpiry: true);
        Assert.That(durations.Choose(Pool(), [Login(Start.AddHours(5)), Login(Start.AddMinutes(30)), Login(null)], 7200).Value, Is.EqualTo(1800));
        Assert.That(durations.Choose(Pool(), [Login(null)], 7200).Value, Is.EqualTo(7200));
        Assert.That(durations.Choose(Pool(), [], null).Value, Is.Null, "a guest presents no login");
    }

    [Test]
    public void A_login_expiring_later_than_the_request_leaves_the_request_as_it_is()
    {
        var durations = Durations(capAtLoginExpiry: true);
        Assert.That(durations.Choose(Pool(), [Login(Start.AddHours(2))], null).Value, Is.Null);
        Assert.That(durations.Choose(Pool(), [Login(Start.AddHours(2))], 1000).Value, Is.EqualTo(1000));
    }

    [Test]
    public void A_login_with_under_900_seconds_left_is_refused_as_an_invalid_login_token()
    {
        var durations = Durations(capAtLoginExpiry: true);
        var refused = durations.Choose(Pool(), [Login(Start.AddSeconds(899))], null);
        Assert.That(refused.IsSuccess, Is.False);
        Assert.That(refused.Error!.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(refused.Error.Message, Does.StartWith("Invalid login token.").And.Contain("900 seconds"));
        Assert.That(durations.Choose(Pool(), [Login(Start.AddSeconds(900))], null).Value, Is.EqualTo(900), "exactly 900 s is the shortest session");
    }

    [Test]
    public void The_pool_maximum_caps_guests_and_logins_alike_and_the_lower_cap_wins()
    {
        var pool = Pool(maxSeconds: 1500);
        Assert.That(Durations(capAtLoginExpiry: false).Choose(pool, [], null).Value, Is.EqualTo(1500));
        Assert.That(Durations(capAtLoginExpiry: false).Choose(pool, [], 1000).Value, Is.EqualTo(1000));
        Assert.That(Durations(capAtLoginExpiry: true).Choose(pool, [Login(Start.AddMinutes(20))], null).Value, Is.EqualTo(1200));
        Assert.That(Durations(capAtLoginExpiry: true).Choose(pool, [Login(Start.AddHours(3))], 7200).Value, Is.EqualTo(1500));
    }

    [TestCase(899)]
    [TestCase(43_201)]
    public void A_pool_maximum_outside_what_sts_issues_is_a_problem(int seconds)
    {
        Assert.That(new PoolLimits { MaxCredentialDurationSeconds = seconds }.Problem(), Does.Contain("MaxCredentialDurationSeconds"));
        Assert.That(new PoolLimits { MaxGuestIdentities = -1 }.Problem(), Does.Contain("MaxGuestIdentities"));
        Assert.That(new PoolLimits { MaxCredentialDurationSeconds = 900, MaxGuestIdentities = 0 }.Problem(), Is.Null);
    }

    private CredentialDuration Durations(bool capAtLoginExpiry) =>
        new(Options.Create(new CredentialsOptions { CapAtLoginExpiry = capAtLoginExpiry }), _time);

    private static IdentityPool Pool(int? maxSeconds = null) => new()
    {
        IdentityPoolId = "us-east-1:00000000-0000-0000-0000-000000000001",
        IdentityPoolName = "caps",
        AllowUnauthenticatedIdentities = true,
        Limits = maxSeconds is null ? null : new PoolLimits { MaxCredentialDurationSeconds = maxSeconds },
    };

    private static ValidatedLogin Login(DateTimeOffset? expiresAt) =>
        new("issuer.example", "user", "issuer.example:user", new Dictionary<string, IReadOnlyList<string>>()) { ExpiresAt = expiresAt };
}
