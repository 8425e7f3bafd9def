using System.Text;

namespace IdentityBroker.Sts;

/// <summary>
/// An estimate of STS's PackedPolicySize: the session policy (without insignificant whitespace) and the session tags
/// as a percentage of the 2,048-character session-policy allowance. AWS does not publish its packing; this keeps the
/// reported number monotonic and rejects what AWS surely would (STS API reference, AssumeRoleWithWebIdentity, "PackedPolicyTooLarge").
/// </summary>
internal static class PackedPolicy
{
    private const int Allowance = 2048;

    public static int Percent(string? policy, SessionTagSet tags)
    {
        var size = policy is null ? 0 : Compact(policy);
        foreach (var (key, value) in tags.Tags)
        {
            size += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value) + 2;
        }

        return (int)Math.Ceiling(size * 100.0 / Allowance);
    }

    private static int Compact(string policy)
    {
        var count = 0;
        var inString = false;
        for (var i = 0; i < policy.Length; i++)
        {
            var c = policy[i];
            if (c == '"' && (i == 0 || policy[i - 1] != '\\'))
            {
                inString = !inString;
            }

            if (inString || !char.IsWhiteSpace(c))
            {
                count++;
            }
        }

        return count;
    }
}
