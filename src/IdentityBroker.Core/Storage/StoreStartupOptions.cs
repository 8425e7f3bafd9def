namespace IdentityBroker.Storage;

/// <summary>
/// How long start-up waits between attempts while the store does not answer (the wait starts at a quarter second and
/// doubles up to <see cref="RetryMaxDelay"/>). A store whose outages can last sets it from its own options
/// (Redis: <c>Broker:Redis:StartupRetryMaxDelay</c>).
/// </summary>
public sealed class StoreStartupOptions
{
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);
}
