using System.Diagnostics;
using IdentityBroker.Server;
using IdentityBroker.Tests.Integration;
using IdentityBroker.Tests.Storage;

namespace IdentityBroker.Tests.Replicas;

/// <summary>
/// Start-up with the store unreachable: a broker on Redis starts anyway (unready, AWS's 503 on every protocol) and
/// becomes ready by itself when Redis answers; a SQLite broker whose data folder cannot work stops at once.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisStartupTests
{
    private static readonly Dictionary<string, string?> ShortBackOff = new() { ["Broker:Redis:StartupRetryMaxDelay"] = "00:00:00.200" };

    [Test]
    public async Task A_broker_started_while_redis_is_down_serves_503_until_redis_answers_then_becomes_ready_by_itself()
    {
        await using var redis = LocalRedisServer.Prepare(appendFsyncAlways: false);
        var starting = Stopwatch.StartNew();
        await using var replica = await BrokerReplica.StartAsync(
            redis.Configuration, $"ibs-{Guid.NewGuid():N}", oidcHandler: null, waitUntilReady: false, settings: ShortBackOff);
        await TestContext.Out.WriteLineAsync($"host started without Redis in {starting.ElapsedMilliseconds} ms");

        using (var live = await replica.Http.GetAsync(new Uri("/health/live", UriKind.Relative)))
        {
            Assert.That((int)live.StatusCode, Is.EqualTo(200), "the process is alive");
        }

        Assert.That(await replica.IsReadyAsync(), Is.False, "unready while Redis is down");
        var getId = """{"IdentityPoolId":"us-east-1:0c3f7c1e-52e4-4b7e-9a49-0a8d4a0c1f00"}""";
        var request = Stopwatch.StartNew();
        using (var failed = await replica.CognitoAsync("GetId", getId))
        {
            var body = await failed.Content.ReadAsStringAsync();
            await AwsErrorAssert.IsJsonErrorAsync(failed, "ServiceUnavailable", 503);
            Assert.That(body, Does.Not.Contain("Exception").And.Not.Contain(" at "), "no stack trace or exception name");
        }

        Assert.That(request.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)), "no hang");
        await AssertQueryUnavailableAsync(await replica.QueryAsync(
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn:aws:iam::000000000000:role/r&RoleSessionName=s&WebIdentityToken=x"));
        await AssertQueryUnavailableAsync(await replica.SignedQueryAsync("iam", "Action=ListRoles&Version=2010-05-08"));
        using (var jwks = await replica.Http.GetAsync(new Uri("/.well-known/jwks_uri", UriKind.Relative)))
        {
            Assert.That((int)jwks.StatusCode, Is.EqualTo(503), "no keys to publish yet");
        }

        await redis.RestartAsync();
        var recovery = Stopwatch.StartNew();
        await replica.WaitReadyAsync(TimeSpan.FromSeconds(15));
        await TestContext.Out.WriteLineAsync($"ready {recovery.ElapsedMilliseconds} ms after redis-server started");

        using var created = await replica.SignedCognitoAsync("CreateIdentityPool", """{"IdentityPoolName":"late","AllowUnauthenticatedIdentities":true}""");
        var poolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("IdentityPoolId").GetString();
        using var identity = await replica.CognitoAsync("GetId", $$"""{"IdentityPoolId":"{{poolId}}"}""");
        var identityId = (await AwsErrorAssert.IsSuccessAsync(identity)).GetProperty("IdentityId").GetString();
        using var token = await replica.CognitoAsync("GetOpenIdToken", $$"""{"IdentityId":"{{identityId}}"}""");
        await AwsErrorAssert.IsSuccessAsync(token);
    }

    [Test]
    public async Task A_sqlite_broker_whose_data_directory_cannot_be_created_stops_at_once_naming_the_setting()
    {
        var file = Path.GetTempFileName();
        try
        {
            var app = BrokerApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
            {
                builder.Configuration["Broker:DataDirectory"] = Path.Combine(file, "data");
                builder.Configuration["Broker:SeedDemoPool"] = "false";
                builder.Configuration["Broker:Admin:AccessKeyId"] = BrokerReplica.AccessKeyId;
                builder.Configuration["Broker:Admin:SecretAccessKey"] = BrokerReplica.Secret;
                builder.Configuration["Logging:LogLevel:Default"] = "None";
            });
            await using (app)
            {
                var stopwatch = Stopwatch.StartNew();
                var failure = Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
                Assert.That(failure!.Message, Does.Contain("Broker:DataDirectory"));
                Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "fails fast, no retry");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task AssertQueryUnavailableAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(503), body);
            Assert.That(body, Does.Contain("<Code>ServiceUnavailable</Code>").And.Not.Contain(" at "));
        }
    }
}
