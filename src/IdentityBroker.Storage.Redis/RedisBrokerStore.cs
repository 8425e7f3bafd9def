using System.Diagnostics;
using System.Globalization;
using IdentityBroker.Observability;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <summary>
/// The shared store of a multi-replica deployment, on Redis (standalone, Sentinel or Cluster; Valkey alike).
/// Every atomic operation is one Lua script on one hash slot (<see cref="RedisKeys"/>); the few operations that span
/// slots (creating or deleting a pool or an identity) order their steps so that an interruption leaves nothing a
/// reader can see half-done, and repeating the call completes it.
/// </summary>
/// <remarks>
/// Redis unavailable is not a programming error: every call fails within <see cref="RedisStoreOptions.OperationTimeout"/>
/// with <see cref="StoreUnavailableException"/>; the multiplexer reconnects by itself.
/// </remarks>
public sealed partial class RedisBrokerStore : IPoolStore, IIdentityStore, IKeyStore, IIamStore, IDisposable
{
    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly RedisKeys _keys;
    private readonly IdentityPools _identityPools = new();
    private int _topology; // 0 not known yet, 1 one node, 2 a Cluster (or proxy)

    /// <param name="connection">A connection the caller keeps and disposes.</param>
    /// <param name="keyPrefix">Prefix of every key (<see cref="RedisStoreOptions.KeyPrefix"/>).</param>
    public RedisBrokerStore(IConnectionMultiplexer connection, string keyPrefix)
        : this(connection, keyPrefix, ownsConnection: false)
    {
    }

    private RedisBrokerStore(IConnectionMultiplexer connection, string keyPrefix, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPrefix);
        _connection = connection;
        _ownsConnection = ownsConnection;
        _keys = new RedisKeys(keyPrefix);
    }

    private IDatabase Db => _connection.GetDatabase();

    /// <summary>
    /// Whether every key lives on one Redis node (standalone, or a Sentinel-managed primary), so that a script may read
    /// keys of several hash tags; false on a Cluster, and until the connection has told. Decided once: a deployment does
    /// not turn into a Cluster under a running broker.
    /// </summary>
    private bool IsSingleNode()
    {
        var known = Volatile.Read(ref _topology);
        if (known != 0)
        {
            return known == 1;
        }

        var servers = _connection.GetServers();
        if (!servers.Any(s => s.IsConnected))
        {
            return false;
        }

        var single = servers.All(s => s.ServerType == ServerType.Standalone);
        Volatile.Write(ref _topology, single ? 1 : 2);
        return single;
    }

    private void MarkNotSingleNode() => Volatile.Write(ref _topology, 2);

    /// <summary>Connects (without waiting for Redis to be up) and returns a store that owns the connection.</summary>
    public static RedisBrokerStore Connect(RedisStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = ConnectionMultiplexer.Connect(ToConfiguration(options));
        return new RedisBrokerStore(connection, options.KeyPrefix, ownsConnection: true);
    }

    /// <summary>
    /// The client settings for failing fast: no abort when Redis is down at start (the broker starts unready and
    /// recovers), short connect and command timeouts, and no backlog of commands while disconnected.
    /// </summary>
    public static ConfigurationOptions ToConfiguration(RedisStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            throw new InvalidOperationException("Broker:Redis:Configuration is required when Broker:Store is 'redis'.");
        }

        var configuration = ConfigurationOptions.Parse(options.Configuration);
        var timeout = (int)options.OperationTimeout.TotalMilliseconds;
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = timeout;
        configuration.SyncTimeout = timeout;
        configuration.AsyncTimeout = timeout;
        configuration.ConnectRetry = 1;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.ClientName ??= "identity-broker";
        return configuration;
    }

    public void Dispose()
    {
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    /// <summary>Runs one store call, turning "Redis is not there" into <see cref="StoreUnavailableException"/>.</summary>
    private static async Task<T> GuardAsync<T>(Func<Task<T>> work)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (RedisConnectionException e)
        {
            throw new StoreUnavailableException("The Redis store is not connected.", e);
        }
        catch (RedisTimeoutException e)
        {
            throw new StoreUnavailableException("The Redis store did not answer in time.", e);
        }
        finally
        {
            StoreMetrics.Record("redis", started);
        }
    }

    private static async Task GuardAsync(Func<Task> work) =>
        await GuardAsync(async () =>
        {
            await work().ConfigureAwait(false);
            return 0;
        }).ConfigureAwait(false);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    // Instants are kept as UTC ticks in decimal text: exact (Lua numbers are doubles, so scripts never parse them).
    private static string Ticks(DateTimeOffset instant) => Text(instant.UtcTicks);

    private static DateTimeOffset FromTicks(string ticks) => new(long.Parse(ticks, CultureInfo.InvariantCulture), TimeSpan.Zero);

    private static long Position(RedisResult score) => (long)double.Parse((string)score!, CultureInfo.InvariantCulture);
}
