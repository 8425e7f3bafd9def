using IdentityBroker.UserPools.Triggers;

namespace IdentityBroker.Tests.UserPools.Triggers;

/// <summary>Start-up refuses a function that could not be called safely: one valid configuration, one thing broken per test.</summary>
[TestFixture]
public sealed class TriggerOptionsValidatorTests
{
    private const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:pre";

    private static TriggerOptions Options(string url = "https://hooks.example.com/pre", string? secret = "0123456789abcdef0123456789abcdef")
    {
        var options = new TriggerOptions();
        options.Functions[Arn] = url;
        if (secret is not null)
        {
            options.Secrets[Arn] = secret;
        }

        return options;
    }

    private static string Validate(TriggerOptions options) =>
        new TriggerOptionsValidator().Validate(null, options).FailureMessage ?? "";

    [Test]
    public void A_function_with_an_https_URL_and_a_long_secret_is_accepted() =>
        Assert.That(new TriggerOptionsValidator().Validate(null, Options()).Succeeded, Is.True);

    [Test]
    public void Plain_http_is_accepted_only_on_loopback()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Validate(Options("http://127.0.0.1:9000/pre")), Is.Empty);
            Assert.That(Validate(Options("http://hooks.example.com/pre")), Does.Contain("Broker:Triggers:Functions:" + Arn));
        });
    }

    [Test]
    public void A_function_without_a_secret_or_with_a_short_one_is_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Validate(Options(secret: null)), Does.Contain("Broker:Triggers:Secrets:" + Arn));
            Assert.That(Validate(Options(secret: "short")), Does.Contain("at least 32"));
        });
    }

    [Test]
    public void A_secret_for_no_function_is_refused()
    {
        var options = Options();
        options.Secrets[Arn + "-typo"] = new string('x', 40);
        Assert.That(Validate(options), Does.Contain("names no function"));
    }

    [Test]
    public void A_relative_URL_is_refused() => Assert.That(Validate(Options("/pre")), Is.Not.Empty);
}
