using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>
/// How a receiver knows a trigger call comes from the broker and was not altered or replayed later: the broker sends
/// <c>X-Broker-Trigger-Timestamp: &lt;Unix seconds&gt;</c> and <c>X-Broker-Trigger-Signature: v1=&lt;hex&gt;</c>, the
/// lower-case hex HMAC-SHA256, keyed by the function's secret (UTF-8), of <c>&lt;timestamp&gt;.&lt;body&gt;</c>. The
/// receiver recomputes it over the raw body, compares in constant time and refuses a timestamp far from its clock.
/// </summary>
public static class TriggerSignature
{
    public const string TimestampHeader = "X-Broker-Trigger-Timestamp";
    public const string SignatureHeader = "X-Broker-Trigger-Signature";
    public const string FunctionHeader = "X-Broker-Trigger-Function";
    public const string Scheme = "v1=";

    /// <summary>The signature header's value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Scheme + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
