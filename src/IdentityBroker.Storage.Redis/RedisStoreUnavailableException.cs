namespace IdentityBroker.Storage.Redis;

/// <summary>
/// Redis did not answer in time or is not connected. Not a programming error: the HTTP edge answers the AWS
/// <c>ServiceUnavailable</c> error (503) and /health/ready reports the store as unavailable until Redis is back.
/// </summary>
public sealed class RedisStoreUnavailableException : Exception
{
    public RedisStoreUnavailableException()
        : base("The Redis store is unavailable.")
    {
    }

    public RedisStoreUnavailableException(string message)
        : base(message)
    {
    }

    public RedisStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
