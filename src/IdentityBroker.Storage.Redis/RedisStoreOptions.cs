namespace IdentityBroker.Storage.Redis;

/// <summary>Section <c>Broker:Redis</c>: the shared store of a multi-replica deployment.</summary>
public sealed class RedisStoreOptions
{
    public const string SectionName = "Broker:Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis:6379,password=…,ssl=true</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key, so that several brokers (or tests) can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "ib";

    /// <summary>Connect and per-operation timeout: requests fail fast with a service error instead of hanging.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Longest wait between two start-up attempts while Redis does not answer (the wait starts at a quarter second
    /// and doubles up to this): the broker starts unready and becomes ready by itself once Redis answers.
    /// </summary>
    public TimeSpan StartupRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);
}
