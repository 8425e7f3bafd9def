using IdentityBroker.Observability;
using IdentityBroker.Server.Messages;
using IdentityBroker.UserPools.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Messages;

/// <summary>Delivery through real transports on loopback: an SMTP server and a webhook receiver; the dev outbox otherwise.</summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class UserPoolMessageRouterTests
{
    private const string Pool = "us-east-1_abc123XYZ";
    private const string Code = "493817";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<UserPoolMessageRouter> _logger = new();
    private ServiceProvider _services = null!;

    [SetUp]
    public void CreateHttpClients() => _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();

    [TearDown]
    public void DisposeHttpClients() => _services.Dispose();

    private static UserPoolMessage Email(string to = "alice@example.com") => UserPoolMessageComposer.Code(
        MessageTemplates.Default, Pool, "alice", MessageChannel.Email, MessagePurpose.SignUpConfirmation, to, Code);

    private static UserPoolMessage Sms() => UserPoolMessageComposer.Code(
        MessageTemplates.Default, Pool, "alice", MessageChannel.Sms, MessagePurpose.MfaCode, "+15550101234", Code);

    [Test]
    public async Task Email_goes_over_smtp_with_the_configured_sender_and_credentials()
    {
        await using var smtp = new LoopbackSmtpServer();
        var router = Router(Smtp(smtp.Port, user: "mailer", password: "mail-secret"));

        var result = await router.SendAsync(Email(), CancellationToken.None);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
        var mail = smtp.Received.Single();
        Assert.That((mail.From, mail.To.Single()), Is.EqualTo(("no-reply@broker.example", "alice@example.com")));
        Assert.That(mail.Message.Subject, Is.EqualTo("Your verification code"));
        Assert.That(mail.Message.TextBody, Does.Contain("Your verification code is 493817."));
        Assert.That(smtp.Logins.Single(), Is.EqualTo(("mailer", "mail-secret")));
    }

    [Test]
    public async Task A_refused_email_is_cognitos_code_delivery_failure_logged_without_the_code_or_the_address()
    {
        await using var smtp = new LoopbackSmtpServer { RefuseRecipients = true };
        var router = Router(Smtp(smtp.Port));

        var result = await router.SendAsync(Email(), CancellationToken.None);

        Assert.That((result.Error?.Type, result.Error?.Message),
            Is.EqualTo(("CodeDeliveryFailureException", "Invalid email provided/Unable to send the email")));
        var line = _logger.Collector.GetSnapshot().Single();
        Assert.That(line.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(line.Message, Does.Contain("***@example.com").And.Not.Contain("alice@").And.Not.Contain(Code));
    }

    [Test]
    public async Task Tls_is_required_by_default_so_a_server_without_starttls_gets_no_mail()
    {
        await using var smtp = new LoopbackSmtpServer();
        var options = Smtp(smtp.Port);
        options.Mail.Smtp.UseTls = true;

        var result = await Router(options).SendAsync(Email(), CancellationToken.None);

        Assert.That(result.Error?.Type, Is.EqualTo("CodeDeliveryFailureException"));
        Assert.That(smtp.Received, Is.Empty);
    }

    [Test]
    public async Task An_unreachable_smtp_server_is_a_delivery_failure()
    {
        int port;
        await using (var closed = new LoopbackSmtpServer())
        {
            port = closed.Port;
        }

        var result = await Router(Smtp(port)).SendAsync(Email(), CancellationToken.None);

        Assert.That(result.Error?.Type, Is.EqualTo("CodeDeliveryFailureException"));
    }

    [Test]
    public async Task Sms_is_posted_as_json_to_the_webhook()
    {
        await using var hook = new LoopbackWebhook();
        var router = Router(new MessageDeliveryOptions { Sms = { WebhookUrl = hook.Url } });

        var result = await router.SendAsync(Sms(), CancellationToken.None);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
        var (method, contentType, body) = hook.Requests.Single();
        Assert.That((method, contentType), Is.EqualTo(("POST", "application/json")));
        Assert.That(body.GetProperty("userPoolId").GetString(), Is.EqualTo(Pool));
        Assert.That(body.GetProperty("username").GetString(), Is.EqualTo("alice"));
        Assert.That(body.GetProperty("destination").GetString(), Is.EqualTo("+15550101234"));
        Assert.That(body.GetProperty("purpose").GetString(), Is.EqualTo("MfaCode"));
        Assert.That(body.GetProperty("message").GetString(), Is.EqualTo("Your authentication code is 493817. "));
    }

    [Test]
    public async Task A_webhook_error_status_or_timeout_is_a_delivery_failure()
    {
        await using var hook = new LoopbackWebhook { Status = 500 };
        var options = new MessageDeliveryOptions { Sms = { WebhookUrl = hook.Url, Timeout = TimeSpan.FromMilliseconds(300) } };

        var failed = await Router(options).SendAsync(Sms(), CancellationToken.None);
        hook.Status = 200;
        hook.Delay = TimeSpan.FromSeconds(3);
        var slow = await Router(options).SendAsync(Sms(), CancellationToken.None);

        Assert.That((failed.Error?.Type, slow.Error?.Type), Is.EqualTo(("CodeDeliveryFailureException", "CodeDeliveryFailureException")));
        Assert.That(_logger.Collector.GetSnapshot().Select(l => l.Message), Has.All.Not.Contain(Code).And.All.Not.Contain("+15550101234"));
    }

    [Test]
    public async Task Failures_of_one_channel_are_logged_at_most_once_per_interval()
    {
        await using var hook = new LoopbackWebhook { Status = 503 };
        var router = Router(new MessageDeliveryOptions { Sms = { WebhookUrl = hook.Url } });

        for (var i = 0; i < 5; i++)
        {
            await router.SendAsync(Sms(), CancellationToken.None);
        }

        Assert.That(_logger.Collector.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task A_burst_of_outbox_messages_is_one_log_line_per_interval_that_counts_the_rest()
    {
        var router = Router(new MessageDeliveryOptions());

        for (var i = 0; i < 20; i++)
        {
            await router.SendAsync(Email(), CancellationToken.None);
        }

        _time.Advance(LogThrottle.Interval);
        await router.SendAsync(Email(), CancellationToken.None);

        var lines = _logger.Collector.GetSnapshot();
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[1].Message, Does.Contain("(19 more outbox messages since the last line)"));
    }

    [Test]
    public async Task Unconfigured_channels_go_to_the_outbox_and_the_log_says_where_without_the_code()
    {
        var outbox = new DevOutbox(_time);
        var router = Router(new MessageDeliveryOptions(), outbox);

        Assert.That((await router.SendAsync(Email(), CancellationToken.None)).IsSuccess, Is.True);
        Assert.That((await router.SendAsync(Sms(), CancellationToken.None)).IsSuccess, Is.True);

        var messages = outbox.Read(Pool, "alice");
        Assert.That(messages.Select(m => m.Channel), Is.EquivalentTo(new[] { MessageChannel.Email, MessageChannel.Sms }));
        Assert.That(messages.Select(m => m.Body), Has.All.Contain(Code));
        var lines = _logger.Collector.GetSnapshot();
        Assert.That(lines.Select(l => l.Message), Has.All.Contain($"/admin/api/userpools/{Pool}/outbox").And.All.Not.Contain(Code));
    }

    private static MessageDeliveryOptions Smtp(int port, string? user = null, string? password = null) => new()
    {
        Mail = { Smtp = { Host = "127.0.0.1", Port = port, From = "no-reply@broker.example", UseTls = false, UserName = user, Password = password } },
    };

    private UserPoolMessageRouter Router(MessageDeliveryOptions options, DevOutbox? outbox = null) =>
        new(Options.Create(options), _services.GetRequiredService<IHttpClientFactory>(), outbox ?? new DevOutbox(_time), _time, _logger);
}
