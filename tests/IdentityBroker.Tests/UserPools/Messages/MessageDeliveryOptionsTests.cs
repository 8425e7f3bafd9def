using IdentityBroker.Tests.Integration;
using IdentityBroker.UserPools.Messages;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tests.UserPools.Messages;

[TestFixture]
public sealed class MessageDeliveryOptionsTests
{
    private static readonly MessageDeliveryOptionsValidator Validator = new();

    private static MessageDeliveryOptions Valid() => new()
    {
        Mail = { Smtp = { Host = "smtp.example.com", Port = 587, From = "no-reply@example.com", UserName = "u", Password = "p" } },
        Sms = { WebhookUrl = new Uri("https://sms.example.com/hook") },
    };

    [Test]
    public void Nothing_configured_is_valid_and_a_full_configuration_too()
    {
        Assert.That(Validator.Validate(null, new MessageDeliveryOptions()).Succeeded, Is.True);
        Assert.That(Validator.Validate(null, Valid()).Succeeded, Is.True);
    }

    private static IEnumerable<TestCaseData> BadOptions()
    {
        yield return Case("port 0", o => o.Mail.Smtp.Port = 0, "Broker:Mail:Smtp:Port");
        yield return Case("port too high", o => o.Mail.Smtp.Port = 65536, "Broker:Mail:Smtp:Port");
        yield return Case("From not an address", o => o.Mail.Smtp.From = "not an address", "Broker:Mail:Smtp:From");
        yield return Case("From missing", o => o.Mail.Smtp.From = null, "Broker:Mail:Smtp:From");
        yield return Case("host with a path", o => o.Mail.Smtp.Host = "smtp.example.com/x", "Broker:Mail:Smtp:Host");
        yield return Case("user without password", o => o.Mail.Smtp.Password = null, "Broker:Mail:Smtp:UserName");
        yield return Case("plain-http webhook", o => o.Sms.WebhookUrl = new Uri("http://sms.example.com/hook"), "Broker:Sms:WebhookUrl");
        yield return Case("relative webhook", o => o.Sms.WebhookUrl = new Uri("/hook", UriKind.Relative), "Broker:Sms:WebhookUrl");
        yield return Case("zero timeout", o => o.Sms.Timeout = TimeSpan.Zero, "Broker:Sms:Timeout");
    }

    private static TestCaseData Case(string name, Action<MessageDeliveryOptions> mutate, string key) =>
        new TestCaseData(mutate, key).SetName("A bad setting fails with its key: " + name);

    [TestCaseSource(nameof(BadOptions))]
    public void A_bad_setting_fails_naming_its_key(Action<MessageDeliveryOptions> mutate, string key)
    {
        var options = Valid();
        mutate(options);

        var result = Validator.Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(key));
    }

    [Test]
    public void A_loopback_http_webhook_is_accepted_for_local_use()
    {
        var options = Valid();
        options.Sms.WebhookUrl = new Uri("http://127.0.0.1:9000/hook");

        Assert.That(Validator.Validate(null, options).Succeeded, Is.True);
    }

    [Test]
    public void The_broker_does_not_start_with_a_bad_smtp_port_or_sender()
    {
        var error = Assert.ThrowsAsync<OptionsValidationException>(async () => await BrokerServer.StartAsync(new Dictionary<string, string?>
        {
            ["Broker:Mail:Smtp:Host"] = "smtp.example.com",
            ["Broker:Mail:Smtp:Port"] = "70000",
            ["Broker:Mail:Smtp:From"] = "nobody",
        }));

        Assert.That(error!.Message, Does.Contain("Broker:Mail:Smtp:Port").And.Contain("Broker:Mail:Smtp:From"));
    }
}
