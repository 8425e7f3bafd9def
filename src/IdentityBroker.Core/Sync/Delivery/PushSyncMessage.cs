using System.Globalization;
using System.Text.Json;

namespace IdentityBroker.Sync.Delivery;

/// <summary>
/// The silent push Cognito Sync sends a device when its identity's dataset changed, and the webhook request that carries
/// it. The payload holds what the mobile SDKs read (<c>PushSyncUpdate</c>): <c>source</c> = <c>cognito-sync</c>, the pool,
/// the identity, the dataset and its sync count; APNs gets it beside <c>aps.content-available = 1</c> (a background, silent
/// notification), GCM and ADM as the message's <c>data</c>, whose values are strings on those platforms.
/// The webhook body is <c>{"platform", "deviceId", "token", "payload"}</c>: the receiver hands <c>payload</c> to the
/// platform's service for <c>token</c>. The token is the device's secret: it is sent only to the platform's webhook.
/// </summary>
public static class PushSyncMessage
{
    public const string Source = "cognito-sync";

    public static byte[] WebhookBody(SyncDevice target, PushSyncNotice notice)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(notice);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("platform", target.Platform);
            json.WriteString("deviceId", target.DeviceId);
            json.WriteString("token", target.Token);
            json.WritePropertyName("payload");
            WritePayload(json, target.Platform, notice);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static void WritePayload(Utf8JsonWriter json, string platform, PushSyncNotice notice)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(notice);
        json.WriteStartObject();
        if (PushPlatforms.IsApns(platform))
        {
            json.WriteStartObject("aps");
            json.WriteNumber("content-available", 1);
            json.WriteEndObject();
            WriteFields(json, notice);
        }
        else
        {
            json.WriteStartObject("data");
            WriteFields(json, notice);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteFields(Utf8JsonWriter json, PushSyncNotice notice)
    {
        json.WriteString("source", Source);
        json.WriteString("identityPoolId", notice.IdentityPoolId);
        json.WriteString("identityId", notice.IdentityId);
        json.WriteString("datasetName", notice.DatasetName);
        json.WriteString("syncCount", notice.SyncCount.ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>What the other devices are told: which dataset of which identity changed, and its sync count after the change.</summary>
public sealed record PushSyncNotice(string IdentityPoolId, string IdentityId, string DatasetName, long SyncCount)
{
    public static PushSyncNotice From(SyncChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change.IdentityPoolId, change.IdentityId, change.DatasetName, change.DatasetSyncCount);
    }
}

/// <summary>The platforms of RegisterDevice, as the configuration names them.</summary>
public static class PushPlatforms
{
    public const string Apns = "APNS";
    public const string ApnsSandbox = "APNS_SANDBOX";
    public const string Gcm = "GCM";
    public const string Adm = "ADM";

    public static bool IsApns(string platform) => platform is Apns or ApnsSandbox;
}
