using System.Diagnostics;
using IdentityBroker.Tests.Integration;
using IdentityBroker.Tests.Storage;

namespace IdentityBroker.Tests.Replicas;

/// <summary>A replica whose Redis dies answers fast with AWS's 503, turns unready, and recovers by itself.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisOutageTests
{
    [Test]
    public async Task Redis_down_gives_a_fast_service_unavailable_error_an_unready_probe_and_then_recovery()
    {
        await using var redis = await LocalRedisServer.StartAsync(appendFsyncAlways: true);
        await using var replica = await BrokerReplica.StartAsync(redis.Configuration, $"ibo-{Guid.NewGuid():N}");
        using var created = await replica.SignedCognitoAsync("CreateIdentityPool", """{"IdentityPoolName":"outage","AllowUnauthenticatedIdentities":true}""");
        var poolId = (await AwsErrorAssert.IsSuccessAsync(created)).GetProperty("IdentityPoolId").GetString();
        var getId = $$"""{"IdentityPoolId":"{{poolId}}"}""";

        await redis.KillAsync();
        var stopwatch = Stopwatch.StartNew();
        using var failed = await replica.CognitoAsync("GetId", getId);
        var elapsed = stopwatch.Elapsed;
        var body = await failed.Content.ReadAsStringAsync();

        var message = await AwsErrorAssert.IsJsonErrorAsync(failed, "ServiceUnavailable", 503);
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(3)), "fails within the configured timeout, no hang");
        Assert.That(body, Does.Not.Contain("Exception").And.Not.Contain(" at "), "no stack trace or exception name");
        Assert.That(message, Does.Contain("unavailable"));
        Assert.That(await replica.IsReadyAsync(), Is.False, "/health/ready reports the store down");

        await redis.RestartAsync();
        var recovery = Stopwatch.StartNew();
        await replica.WaitReadyAsync(TimeSpan.FromSeconds(15));
        await TestContext.Out.WriteLineAsync($"GetId failed after {elapsed.TotalMilliseconds:F0} ms; ready again {recovery.ElapsedMilliseconds} ms after restart");
        using var recovered = await replica.CognitoAsync("GetId", getId);
        await AwsErrorAssert.IsSuccessAsync(recovered);
    }
}
