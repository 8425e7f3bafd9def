namespace IdentityBroker.Identities;

/// <summary>Identity and pool ids have the form <c>&lt;region&gt;:&lt;lower-case GUID&gt;</c> (notes §3).</summary>
public sealed class IdentityIds(BrokerOptions options)
{
    public string NewId() => $"{options.Region}:{Guid.NewGuid():D}";

    public static double EpochSeconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds() / 1000d;
}
