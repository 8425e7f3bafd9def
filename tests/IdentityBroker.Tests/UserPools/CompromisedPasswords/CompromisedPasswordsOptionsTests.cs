using IdentityBroker.UserPools.CompromisedPasswords;

namespace IdentityBroker.Tests.UserPools.CompromisedPasswords;

public sealed class CompromisedPasswordsOptionsTests
{
    private static bool Valid(CompromisedPasswordsOptions options) =>
        new CompromisedPasswordsOptionsValidator().Validate(null, options).Succeeded;

    [Test]
    public void Defaults_are_valid_and_fail_open_with_a_two_second_timeout()
    {
        var options = new CompromisedPasswordsOptions();
        Assert.That(Valid(options), Is.True);
        Assert.That(options.WhenUnavailable, Is.EqualTo(WhenSourceUnavailable.Allow));
        Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(CompromisedPasswordsOptions.Section, Is.EqualTo("Broker:UserPools:CompromisedPasswords"));
    }

    [TestCase("https://pwned.example.org/", true)]
    [TestCase("https://pwned.example.org/mirror", true)]
    [TestCase("http://127.0.0.1:8080/", true)]
    [TestCase("http://localhost:8080/", true)]
    [TestCase("http://[::1]:8080/", true)]
    [TestCase("http://pwned.example.org/", false)]
    [TestCase("ftp://pwned.example.org/", false)]
    [TestCase("https://pwned.example.org/?key=1", false)]
    public void Range_api_url_must_be_https_or_loopback_http(string url, bool valid) =>
        Assert.That(Valid(new CompromisedPasswordsOptions { RangeApiUrl = new Uri(url) }), Is.EqualTo(valid));

    [Test]
    public void Relative_range_api_url_is_refused() =>
        Assert.That(Valid(new CompromisedPasswordsOptions { RangeApiUrl = new Uri("range", UriKind.Relative) }), Is.False);

    [Test]
    public void Missing_file_is_refused_and_an_existing_file_or_directory_accepted()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.That(Valid(new CompromisedPasswordsOptions { File = file + ".missing" }), Is.False);
            Assert.That(Valid(new CompromisedPasswordsOptions { File = file }), Is.True);
            Assert.That(Valid(new CompromisedPasswordsOptions { File = Path.GetTempPath() }), Is.True);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestCase(50, false)]
    [TestCase(100, true)]
    [TestCase(30_000, true)]
    [TestCase(30_001, false)]
    public void Timeout_is_bounded(int milliseconds, bool valid) =>
        Assert.That(Valid(new CompromisedPasswordsOptions { Timeout = TimeSpan.FromMilliseconds(milliseconds) }), Is.EqualTo(valid));

    [Test]
    public void Unknown_failure_mode_is_refused() =>
        Assert.That(Valid(new CompromisedPasswordsOptions { WhenUnavailable = (WhenSourceUnavailable)7 }), Is.False);
}
