using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Tests.Replicas;

namespace IdentityBroker.Tests.Crash;

/// <summary>
/// Guest GetId is one durable write per call, committed in groups without a SAVEPOINT (docs/storage.md, "Durability"):
/// the broker process is SIGKILLed while many guest calls run, and every identity id it answered must be in the file.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class GuestKillTests
{
    private const int Rounds = 3;
    private const int Workers = 8;

    [Test]
    public async Task Sqlite_every_guest_identity_answered_before_a_sigkill_is_stored_after_it()
    {
        var seed = Environment.TickCount;
        await TestContext.Out.WriteLineAsync($"seed {seed}");
        var random = new Random(seed);
        var dataDirectory = Directory.CreateTempSubdirectory("guest-kill-").FullName;
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["Broker__Store"] = "sqlite",
                ["Broker__DataDirectory"] = dataDirectory,
                ["Broker__Limits__GuestsPerAddressPerMinute"] = "0",
            };
            string? poolId = null;
            var answered = new ConcurrentBag<string>();
            for (var round = 1; round <= Rounds; round++)
            {
                await using (var broker = await BrokerProcess.StartAsync(settings))
                {
                    poolId ??= await CreateGuestPoolAsync(broker);
                    var killed = await RunUntilKilledAsync(broker, poolId, answered, random.Next(30, 300));
                    await TestContext.Out.WriteLineAsync($"round {round}: killed with {killed} calls in flight; {answered.Count} identities answered so far");
                }

                using var store = new SqliteBrokerStore(Path.Combine(dataDirectory, "broker.db"));
                var missing = new List<string>();
                foreach (var id in answered)
                {
                    var identity = await store.GetIdentityAsync(id, CancellationToken.None);
                    if (identity is null || identity.IdentityPoolId != poolId || identity.Logins.Count > 0 || identity.Disabled)
                    {
                        missing.Add(id);
                    }
                }

                Assert.That(missing, Is.Empty, $"round {round}, seed {seed}: answered guests not stored as answered");
            }

            Assert.That(answered, Has.Count.GreaterThan(Rounds * 20), "the workload ran");
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <returns>How many calls were sent but not answered when the broker died.</returns>
    private static async Task<int> RunUntilKilledAsync(BrokerProcess broker, string poolId, ConcurrentBag<string> answered, int killDelayMs)
    {
        var body = JsonSerializer.Serialize(new { IdentityPoolId = poolId });
        var before = answered.Count;
        var inFlight = 0;
        var warm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var killing = new CancellationTokenSource();
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                Interlocked.Increment(ref inFlight);
                try
                {
                    using var reply = await broker.Http.SendAsync(BrokerReplica.JsonRequest("GetId", body));
                    var json = await reply.Content.ReadAsStringAsync();
                    Assert.That(reply.StatusCode, Is.EqualTo(HttpStatusCode.OK), json);
                    answered.Add(JsonDocument.Parse(json).RootElement.GetProperty("IdentityId").GetString()!);
                    if (answered.Count - before >= 20)
                    {
                        warm.TrySetResult();
                    }
                }
                catch (HttpRequestException) when (killing.IsCancellationRequested)
                {
                    return; // killed mid-call: the call was never answered
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            }
        })).ToArray();

        await warm.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(killDelayMs);
        var pending = Volatile.Read(ref inFlight);
        await killing.CancelAsync();
        await broker.KillAsync();
        await Task.WhenAll(workers);
        return pending;
    }

    private static async Task<string> CreateGuestPoolAsync(BrokerProcess broker)
    {
        var body = JsonSerializer.Serialize(new { IdentityPoolName = "guests", AllowUnauthenticatedIdentities = true });
        using var pool = await broker.Http.SendAsync(BrokerReplica.Sign(BrokerReplica.JsonRequest("CreateIdentityPool", body), broker.BaseAddress, "cognito-identity", body));
        var json = await pool.Content.ReadAsStringAsync();
        Assert.That(pool.StatusCode, Is.EqualTo(HttpStatusCode.OK), json);
        return JsonDocument.Parse(json).RootElement.GetProperty("IdentityPoolId").GetString()!;
    }
}
