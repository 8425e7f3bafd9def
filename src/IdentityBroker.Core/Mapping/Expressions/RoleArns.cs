using System.Text.RegularExpressions;

namespace IdentityBroker.Mapping.Expressions;

/// <summary>What a rule's Role must produce, and what its tags must be (the STS API reference's session-tag limits).</summary>
public static partial class RoleArns
{
    public const int MaxTagKeyLength = 128;

    public const int MaxTagValueLength = 256;

    public static bool IsRoleArn(string value) => RoleArn().IsMatch(value);

    public static bool IsTagKey(string key) => key.Length is >= 1 and <= MaxTagKeyLength && TagKey().IsMatch(key);

    [GeneratedRegex(@"\Aarn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}\z", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArn();

    // sts.service-2.json tagKeyType.
    [GeneratedRegex(@"\A[\p{L}\p{Z}\p{N}_.:/=+\-@]+\z")]
    private static partial Regex TagKey();
}
