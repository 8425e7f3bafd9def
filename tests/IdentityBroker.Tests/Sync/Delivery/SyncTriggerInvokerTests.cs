using System.Text.Json.Nodes;
using IdentityBroker.Sync;
using IdentityBroker.Sync.Delivery;
using IdentityBroker.Tests.UserPools.Triggers;
using IdentityBroker.UserPools.Triggers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tests.Sync.Delivery;

/// <summary>The Sync trigger through the user-pool triggers' HTTP functions, against a real receiver on loopback.</summary>
[TestFixture]
public sealed class SyncTriggerInvokerTests
{
    private TriggerReceiver _receiver = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public void Start()
    {
        _receiver = new TriggerReceiver();
        _services = new ServiceCollection().AddHttpClient(TriggerOptions.HttpClientName).Services.BuildServiceProvider();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _receiver.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static SyncTriggerInput Input(string function = "sync") => new(
        "us-east-1:11111111-2222-3333-4444-555555555555", "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "game", TriggerReceiver.Arn(function),
        [
            new SyncTriggerRecord("level", "1", "2", SyncRecordOperation.Replace),
            new SyncTriggerRecord("score", "10", null, SyncRecordOperation.Remove),
        ]);

    private SyncTriggerInvoker Invoker()
    {
        var options = new TriggerOptions();
        foreach (var (key, value) in _receiver.Settings("sync"))
        {
            var arn = key[key.IndexOf("arn:", StringComparison.Ordinal)..];
            (key.Contains(":Functions:", StringComparison.Ordinal) ? options.Functions : options.Secrets)[arn] = value!;
        }

        var functions = new HttpTriggerFunctions(_services.GetRequiredService<IHttpClientFactory>(), Options.Create(options), TimeProvider.System,
            NullLogger<HttpTriggerFunctions>.Instance);
        return new SyncTriggerInvoker(functions);
    }

    [Test]
    public async Task The_event_is_cognitos_sync_trigger_signed_and_an_unchanged_reply_writes_the_records_as_sent()
    {
        var result = await Invoker().InvokeAsync(Input(), CancellationToken.None);

        var call = _receiver.CallsTo("sync").Single();
        var records = call.Event["datasetRecords"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(call.SignatureValid, Is.True);
            Assert.That((int?)call.Event["version"], Is.EqualTo(2));
            Assert.That((string?)call.Event["eventType"], Is.EqualTo("SyncTrigger"));
            Assert.That((string?)call.Event["region"], Is.EqualTo("us-east-1"));
            Assert.That((string?)call.Event["identityPoolId"], Is.EqualTo(Input().IdentityPoolId));
            Assert.That((string?)call.Event["identityId"], Is.EqualTo(Input().IdentityId));
            Assert.That((string?)call.Event["datasetName"], Is.EqualTo("game"));
            Assert.That((string?)records["level"]!["oldValue"], Is.EqualTo("1"));
            Assert.That((string?)records["level"]!["newValue"], Is.EqualTo("2"));
            Assert.That((string?)records["level"]!["op"], Is.EqualTo("replace"));
            Assert.That((string?)records["score"]!["op"], Is.EqualTo("remove"));
            Assert.That(result.Value, Is.EqualTo(Input().Records));
        });
    }

    [Test]
    public async Task The_reply_changes_a_value_removes_a_record_and_drops_a_key()
    {
        _receiver.Answer("sync", e =>
        {
            var records = e["datasetRecords"]!.AsObject();
            records["level"]!["newValue"] = "99";
            records["score"]!["op"] = "replace";
            records["score"]!["newValue"] = "0";
            records["bonus"] = new JsonObject { ["newValue"] = "x", ["op"] = "replace" };
        });

        var result = await Invoker().InvokeAsync(Input(), CancellationToken.None);

        Assert.That(result.Value, Is.EqualTo(new[]
        {
            new SyncTriggerRecord("level", "1", "99", SyncRecordOperation.Replace),
            new SyncTriggerRecord("score", "10", "0", SyncRecordOperation.Replace),
        }), "an added key is not written (the core writes only the patched keys)");

        _receiver.Answer("sync", e => e["datasetRecords"]!.AsObject().Remove("level"));
        var dropped = await Invoker().InvokeAsync(Input(), CancellationToken.None);
        Assert.That(dropped.Value.Select(r => r.Key), Is.EqualTo(new[] { "score" }));
    }

    [Test]
    public async Task A_functions_error_is_InvalidLambdaFunctionOutputException_with_its_message()
    {
        _receiver.Fail("sync", "cheater");
        var result = await Invoker().InvokeAsync(Input(), CancellationToken.None);
        Assert.That(result.Error!.Type, Is.EqualTo("InvalidLambdaFunctionOutputException"));
        Assert.That(result.Error.Message, Does.Contain("cheater"));
        Assert.That(result.Error.StatusCode, Is.EqualTo(400));
    }

    private static IEnumerable<TestCaseData> InvalidReplies()
    {
        yield return new TestCaseData((Action<JsonObject>)(e => e.Remove("datasetRecords"))).SetName("no datasetRecords");
        yield return new TestCaseData((Action<JsonObject>)(e => e["datasetRecords"] = "x")).SetName("datasetRecords not an object");
        yield return new TestCaseData((Action<JsonObject>)(e => e["datasetRecords"]!["level"]!["op"] = "upsert")).SetName("unknown op");
        yield return new TestCaseData((Action<JsonObject>)(e => e["datasetRecords"]!["level"]!.AsObject().Remove("op"))).SetName("no op");
        yield return new TestCaseData((Action<JsonObject>)(e => e["datasetRecords"]!["level"]!["newValue"] = 5)).SetName("newValue not a string");
        yield return new TestCaseData((Action<JsonObject>)(e => e["datasetRecords"]!["level"]!.AsObject().Remove("newValue"))).SetName("replace without newValue");
        yield return new TestCaseData((Action<JsonObject>)(e => e["datasetRecords"]!["level"] = "2")).SetName("record not an object");
    }

    [TestCaseSource(nameof(InvalidReplies))]
    public async Task An_invalid_reply_is_InvalidLambdaFunctionOutputException(Action<JsonObject> change)
    {
        _receiver.Answer("sync", change);
        var result = await Invoker().InvokeAsync(Input(), CancellationToken.None);
        Assert.That(result.Error?.Type, Is.EqualTo("InvalidLambdaFunctionOutputException"));
    }

    [Test]
    public async Task A_reply_that_is_not_json_or_a_function_without_a_url_is_InvalidLambdaFunctionOutputException()
    {
        _receiver.Handlers["sync"] = _ => (200, "not json");
        var unreadable = await Invoker().InvokeAsync(Input(), CancellationToken.None);
        var unknown = await Invoker().InvokeAsync(Input("elsewhere"), CancellationToken.None);
        Assert.That(unreadable.Error?.Type, Is.EqualTo("InvalidLambdaFunctionOutputException"));
        Assert.That(unknown.Error?.Type, Is.EqualTo("InvalidLambdaFunctionOutputException"));
    }
}
