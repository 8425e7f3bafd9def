namespace IdentityBroker.Server.Connections;

/// <summary>The open-connection count shared by every listening endpoint, against one limit.</summary>
internal sealed class ConnectionSlots(long limit)
{
    private long _open;

    public long Limit { get; } = limit;

    public long Open => Interlocked.Read(ref _open);

    public bool TryTake()
    {
        if (Interlocked.Increment(ref _open) <= Limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _open);
}
