using IdentityBroker.Errors;

namespace IdentityBroker.Sync;

/// <summary>UpdateRecords' input rules from the cognito-sync model: RecordPatch's Op, Key, Value and SyncCount; DeviceId; ClientContext.</summary>
public static class SyncPatchRules
{
    public static Result<IReadOnlyList<SyncRecordPatch>> Parse(IReadOnlyList<SyncPatchInput>? patches, string? deviceId, string? clientContext)
    {
        if (deviceId is { Length: < 1 or > SyncNames.MaxDeviceIdLength })
        {
            return SyncErrors.InvalidParameter("DeviceId must be 1 to 256 characters.");
        }

        if (clientContext is not null && !IsBase64(clientContext))
        {
            return SyncErrors.InvalidParameter("x-amz-Client-Context must be base64.");
        }

        if (patches is null || patches.Count == 0 || patches.Count > SyncLimits.Cognito.MaxRecordsPerDataset)
        {
            return SyncErrors.InvalidParameter($"RecordPatches must hold 1 to {SyncLimits.Cognito.MaxRecordsPerDataset} patches.");
        }

        var parsed = new List<SyncRecordPatch>(patches.Count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var patch in patches)
        {
            if (Check(patch) is { } refused)
            {
                return refused;
            }

            if (!keys.Add(patch.Key!))
            {
                return SyncErrors.InvalidParameter($"RecordPatches names the key '{patch.Key}' twice.");
            }

            parsed.Add(new SyncRecordPatch(patch.Key!, patch.Op == "remove" ? null : patch.Value ?? string.Empty, patch.SyncCount!.Value,
                patch.DeviceLastModifiedDate));
        }

        return parsed;
    }

    private static AwsError? Check(SyncPatchInput patch)
    {
        if (patch.Op is not ("replace" or "remove"))
        {
            return SyncErrors.InvalidParameter("A RecordPatch's Op must be replace or remove.");
        }

        if (patch.Key is not { Length: >= 1 and <= SyncNames.MaxRecordKeyLength })
        {
            return SyncErrors.InvalidParameter($"A RecordPatch's Key must be 1 to {SyncNames.MaxRecordKeyLength} characters.");
        }

        if (patch.Value is { Length: > SyncNames.MaxRecordValueLength })
        {
            return SyncErrors.InvalidParameter($"A RecordPatch's Value may be at most {SyncNames.MaxRecordValueLength} characters.");
        }

        return patch.SyncCount is null or < 0 ? SyncErrors.InvalidParameter("A RecordPatch's SyncCount is required and not negative.") : null;
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}
