using System.Net;
using System.Text;
using System.Text.Json;
using IdentityBroker.Tests.Replicas;
using IdentityBroker.Tests.Storage;

namespace IdentityBroker.Tests.Crash;

/// <summary>
/// The broker is SIGKILLed while it rotates its signing key on demand; after a restart on the same store it starts,
/// publishes every key it ever signed with (the token from before the kill still has its key in the JWKS) and signs with
/// a key it publishes: a rotation is one insert, never half done. One fixture per store (<see cref="SqliteKeyRotationKillTests"/>,
/// <see cref="RedisKeyRotationKillTests"/>), as the store contract tests are.
/// </summary>
[NonParallelizable]
public abstract class KeyRotationKillTests
{
    private const int Rounds = 3;

    /// <summary>The broker settings of a store that outlives the broker; the store is gone after the returned disposable.</summary>
    protected abstract Task<(Dictionary<string, string> Settings, IAsyncDisposable Store)> StartStoreAsync();

    [Test]
    public async Task Killing_the_broker_during_a_rotation_leaves_a_key_set_that_loads_and_keeps_live_tokens_verifiable()
    {
        var (settings, store) = await StartStoreAsync();
        await using var _ = store;
        var random = new Random(Environment.TickCount);
        string? poolId = null;
        for (var round = 0; round < Rounds; round++)
        {
            await using var broker = await BrokerProcess.StartAsync(settings);
            poolId ??= await CreateGuestPoolAsync(broker);
            var before = KeyIdOf(await OpenIdTokenAsync(broker, poolId));
            Assert.That(await PublishedAsync(broker), Does.Contain(before));

            var rotation = RotateAsync(broker);
            await Task.Delay(random.Next(0, 40));
            await broker.KillAsync();
            await Task.WhenAny(rotation, Task.Delay(1000));

            await using var restarted = await BrokerProcess.StartAsync(settings);
            var published = await PublishedAsync(restarted);
            var after = KeyIdOf(await OpenIdTokenAsync(restarted, poolId));
            Assert.That(published, Does.Contain(before), "the key of a token issued before the kill is still published");
            Assert.That(published, Does.Contain(after), "the broker signs with a key it publishes");
            await restarted.KillAsync();
        }
    }

    private static async Task RotateAsync(BrokerProcess broker)
    {
        try
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/admin/api/keys/rotate") { Content = new ByteArrayContent([]) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await broker.Http.SendAsync(BrokerReplica.Sign(request, broker.BaseAddress, "execute-api", string.Empty));
        }
        catch (HttpRequestException)
        {
            // Cut by the kill: what matters is the state the restart finds.
        }
    }

    private static async Task<string> CreateGuestPoolAsync(BrokerProcess broker)
    {
        const string body = """{"IdentityPoolName":"rotation","AllowUnauthenticatedIdentities":true}""";
        using var response = await broker.Http.SendAsync(BrokerReplica.Sign(BrokerReplica.JsonRequest("CreateIdentityPool", body), broker.BaseAddress, "cognito-identity", body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonDocument.Parse(text).RootElement.GetProperty("IdentityPoolId").GetString()!;
    }

    private static async Task<string> OpenIdTokenAsync(BrokerProcess broker, string poolId)
    {
        using var id = await broker.Http.SendAsync(BrokerReplica.JsonRequest("GetId", $$"""{"IdentityPoolId":"{{poolId}}"}"""));
        var identityId = JsonDocument.Parse(await id.Content.ReadAsStringAsync()).RootElement.GetProperty("IdentityId").GetString()!;
        using var token = await broker.Http.SendAsync(BrokerReplica.JsonRequest("GetOpenIdToken", $$"""{"IdentityId":"{{identityId}}"}"""));
        var text = await token.Content.ReadAsStringAsync();
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonDocument.Parse(text).RootElement.GetProperty("Token").GetString()!;
    }

    private static async Task<List<string>> PublishedAsync(BrokerProcess broker)
    {
        var jwks = JsonDocument.Parse(await broker.Http.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative)));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }

    private static string KeyIdOf(string jwt)
    {
        var header = jwt.Split('.')[0];
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(header.Replace('-', '+').Replace('_', '/').PadRight((header.Length + 3) / 4 * 4, '=')));
        return JsonDocument.Parse(json).RootElement.GetProperty("kid").GetString()!;
    }
}

[TestFixture]
public sealed class SqliteKeyRotationKillTests : KeyRotationKillTests
{
    protected override Task<(Dictionary<string, string> Settings, IAsyncDisposable Store)> StartStoreAsync()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("broker-rotation-kill-").FullName;
        var settings = new Dictionary<string, string> { ["Broker__Store"] = "sqlite", ["Broker__DataDirectory"] = dataDirectory };
        return Task.FromResult<(Dictionary<string, string>, IAsyncDisposable)>((settings, new DeletedDirectory(dataDirectory)));
    }

    private sealed class DeletedDirectory(string path) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Directory.Delete(path, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Redis stays up (AOF on, as in <see cref="BrokerKillTests"/>); only the broker dies.</summary>
[TestFixture]
public sealed class RedisKeyRotationKillTests : KeyRotationKillTests
{
    protected override async Task<(Dictionary<string, string> Settings, IAsyncDisposable Store)> StartStoreAsync()
    {
        var redis = await LocalRedisServer.StartAsync(appendFsyncAlways: false);
        var dataDirectory = Directory.CreateTempSubdirectory("broker-rotation-kill-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["Broker__Store"] = "redis",
            ["Broker__Redis__Configuration"] = redis.Configuration,
            ["Broker__Redis__KeyPrefix"] = $"ibr-{Guid.NewGuid():N}",
            ["Broker__DataDirectory"] = dataDirectory,
        };
        return (settings, new RedisAndDirectory(redis, dataDirectory));
    }

    private sealed class RedisAndDirectory(LocalRedisServer redis, string dataDirectory) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await redis.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
