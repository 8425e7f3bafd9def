using System.Text;
using IdentityBroker.UserPools.Triggers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Triggers;

/// <summary>The HTTP function caller against a real receiver on loopback; the 5-second limit on a fake clock.</summary>
[TestFixture]
public sealed class HttpTriggerFunctionsTests
{
    private static readonly byte[] Event = Encoding.UTF8.GetBytes("""{"version":"1","triggerSource":"PreSignUp_SignUp","response":{}}""");
    private TriggerReceiver _receiver = null!;
    private ServiceProvider _services = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void Start()
    {
        _receiver = new TriggerReceiver();
        _services = new ServiceCollection().AddHttpClient(TriggerOptions.HttpClientName).Services.BuildServiceProvider();
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _receiver.DisposeAsync();
        await _services.DisposeAsync();
    }

    private HttpTriggerFunctions Functions()
    {
        var options = new TriggerOptions();
        foreach (var (key, value) in _receiver.Settings("fn"))
        {
            var arn = key[(key.IndexOf("arn:", StringComparison.Ordinal))..];
            (key.Contains(":Functions:", StringComparison.Ordinal) ? options.Functions : options.Secrets)[arn] = value!;
        }

        return new HttpTriggerFunctions(_services.GetRequiredService<IHttpClientFactory>(), Options.Create(options), _time,
            NullLogger<HttpTriggerFunctions>.Instance);
    }

    [Test]
    public async Task The_event_goes_signed_and_comes_back()
    {
        var outcome = await Functions().InvokeAsync(TriggerReceiver.Arn("fn"), Event, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.InstanceOf<FunctionOutcome.Replied>());
            Assert.That(_receiver.Calls.Single().SignatureValid, Is.True);
        });
    }

    [Test]
    public async Task No_answer_within_5_seconds_is_a_timeout_and_not_before()
    {
        _receiver.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = Functions().InvokeAsync(TriggerReceiver.Arn("fn"), Event, CancellationToken.None);
        await _receiver.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromMilliseconds(4900));
        await Task.Delay(200);
        Assert.That(call.IsCompleted, Is.False, "still waiting at 4.9 s");
        _time.Advance(TimeSpan.FromMilliseconds(100));
        var outcome = await call.WaitAsync(TimeSpan.FromSeconds(30));
        _receiver.Hold.SetResult();
        Assert.That(outcome, Is.InstanceOf<FunctionOutcome.TimedOut>());
    }

    [Test]
    public async Task Lambdas_error_shape_is_the_functions_error()
    {
        _receiver.Fail("fn", "Nope");
        var outcome = await Functions().InvokeAsync(TriggerReceiver.Arn("fn"), Event, CancellationToken.None);
        Assert.That(outcome, Is.EqualTo(new FunctionOutcome.FunctionError("Nope")));
    }

    [Test]
    public async Task A_server_error_without_the_error_shape_and_an_unknown_ARN_are_not_invoked()
    {
        _receiver.Handlers["fn"] = _ => (502, "bad gateway");
        var functions = Functions();
        Assert.Multiple(async () =>
        {
            Assert.That(await functions.InvokeAsync(TriggerReceiver.Arn("fn"), Event, CancellationToken.None), Is.InstanceOf<FunctionOutcome.NotInvoked>());
            Assert.That(await functions.InvokeAsync(TriggerReceiver.Arn("other"), Event, CancellationToken.None), Is.InstanceOf<FunctionOutcome.NotInvoked>());
        });
    }

    [Test]
    public async Task A_reply_that_is_not_a_JSON_object_is_unreadable()
    {
        _receiver.Handlers["fn"] = _ => (200, "<html>");
        Assert.That(await Functions().InvokeAsync(TriggerReceiver.Arn("fn"), Event, CancellationToken.None), Is.InstanceOf<FunctionOutcome.Unreadable>());
    }
}
