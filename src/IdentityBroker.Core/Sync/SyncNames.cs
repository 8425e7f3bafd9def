using System.Text.RegularExpressions;

namespace IdentityBroker.Sync;

/// <summary>The cognito-sync model's constraints on names (shapes DatasetName, RecordKey, RecordValue, DeviceId, Platform).</summary>
public static partial class SyncNames
{
    public const int MaxDatasetNameLength = 128;

    public const int MaxRecordKeyLength = 1024;

    public const int MaxRecordValueLength = 1048575;

    public const int MaxDeviceIdLength = 256;

    public static readonly IReadOnlyList<string> Platforms = ["APNS", "APNS_SANDBOX", "GCM", "ADM"];

    public static bool IsDatasetName(string? name) =>
        name is { Length: >= 1 and <= MaxDatasetNameLength } && DatasetNamePattern().IsMatch(name);

    public static bool IsIdentityId(string? id) => id is { Length: >= 1 and <= 55 } && IdPattern().IsMatch(id);

    [GeneratedRegex("^[a-zA-Z0-9_.:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DatasetNamePattern();

    [GeneratedRegex(@"^[\w-]+:[0-9a-f-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
