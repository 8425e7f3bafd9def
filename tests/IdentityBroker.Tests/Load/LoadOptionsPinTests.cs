using IdentityBroker.Load;

namespace IdentityBroker.Tests.Load;

/// <summary>The load tool's --pin SERVER:LOAD option: two taskset CPU lists, anything else refused.</summary>
public sealed class LoadOptionsPinTests
{
    [Test]
    public void Pin_takes_the_server_and_the_load_cpu_lists()
    {
        var options = LoadOptions.Parse(["--pin", "0,2-3:1", "--no-moto"]);

        Assert.Multiple(() =>
        {
            Assert.That(options, Is.Not.Null);
            Assert.That(options!.Pin, Is.EqualTo(("0,2-3", "1")));
            Assert.That(LoadOptions.Parse(["--no-moto"])!.Pin, Is.Null, "not pinned unless asked");
        });
    }

    [TestCase("0")]
    [TestCase("0:")]
    [TestCase("a:1")]
    [TestCase("0:1:2")]
    public void Pin_without_two_cpu_lists_is_refused_naming_the_option(string value)
    {
        var refused = Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--pin", value]));

        Assert.That(refused!.Message, Does.Contain("--pin"));
    }
}
