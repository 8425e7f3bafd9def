using Microsoft.Extensions.Options;

namespace IdentityBroker.Identities;

/// <summary>Identity and pool ids have the form <c>&lt;region&gt;:&lt;lower-case GUID&gt;</c> (the IdentityId and IdentityPoolId patterns of the cognito-identity service model).</summary>
public sealed class IdentityIds(IOptions<BrokerOptions> options)
{
    public string NewId() => $"{options.Value.Region}:{Guid.NewGuid():D}";

    public static double EpochSeconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds() / 1000d;
}
