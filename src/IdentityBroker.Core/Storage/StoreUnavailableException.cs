namespace IdentityBroker.Storage;

/// <summary>
/// The store cannot answer now: Redis not connected or too slow, a SQLite file locked by another process, a full
/// disk. Not a programming error, and the same type whichever store is configured: the HTTP edge answers AWS's
/// <c>ServiceUnavailable</c> (503, which SDKs retry), start-up waits and retries, and /health/ready reports the store
/// unavailable until it answers again. The message names no host, password or key.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
        : base("The store is unavailable.")
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
