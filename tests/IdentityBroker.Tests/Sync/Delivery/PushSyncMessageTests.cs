using System.Text.Json.Nodes;
using IdentityBroker.Sync;
using IdentityBroker.Sync.Delivery;

namespace IdentityBroker.Tests.Sync.Delivery;

[TestFixture]
public sealed class PushSyncMessageTests
{
    private static readonly PushSyncNotice Notice = PushSyncNotice.From(CognitoStreamRecordTests.Change());

    private static JsonObject Body(string platform) =>
        JsonNode.Parse(PushSyncMessage.WebhookBody(new SyncDevice(Notice.IdentityPoolId, Notice.IdentityId, "device-b", platform, "token-b"), Notice))!.AsObject();

    [TestCase(PushPlatforms.Apns)]
    [TestCase(PushPlatforms.ApnsSandbox)]
    public void Apns_gets_a_silent_notification_with_the_fields_beside_aps(string platform)
    {
        var body = Body(platform);
        var payload = body["payload"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That((string?)body["platform"], Is.EqualTo(platform));
            Assert.That((string?)body["deviceId"], Is.EqualTo("device-b"));
            Assert.That((string?)body["token"], Is.EqualTo("token-b"));
            Assert.That((int?)payload["aps"]!["content-available"], Is.EqualTo(1));
            Assert.That(payload["aps"]!.AsObject().ContainsKey("alert"), Is.False, "silent: no alert");
            Assert.That((string?)payload["source"], Is.EqualTo("cognito-sync"));
            Assert.That((string?)payload["identityPoolId"], Is.EqualTo(Notice.IdentityPoolId));
            Assert.That((string?)payload["identityId"], Is.EqualTo(Notice.IdentityId));
            Assert.That((string?)payload["datasetName"], Is.EqualTo("settings"));
            Assert.That((string?)payload["syncCount"], Is.EqualTo("7"));
        });
    }

    [TestCase(PushPlatforms.Gcm)]
    [TestCase(PushPlatforms.Adm)]
    public void Gcm_and_adm_get_the_fields_as_string_data(string platform)
    {
        var data = Body(platform)["payload"]!["data"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That((string?)data["source"], Is.EqualTo("cognito-sync"));
            Assert.That((string?)data["datasetName"], Is.EqualTo("settings"));
            Assert.That((string?)data["syncCount"], Is.EqualTo("7"));
        });
    }
}
