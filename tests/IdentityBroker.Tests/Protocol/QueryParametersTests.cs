using System.Text;
using IdentityBroker.Protocol.Query;

namespace IdentityBroker.Tests.Protocol;

/// <summary>The form body is decoded from its bytes; each case is what the text decoder (Uri.UnescapeDataString) gives too.</summary>
[TestFixture]
public sealed class QueryParametersTests
{
    [TestCase("a+b", "a b")]
    [TestCase("a%2Bb", "a+b")]
    [TestCase("%3Cmd%3AEntityDescriptor%2F%3E", "<md:EntityDescriptor/>")]
    [TestCase("%e2%82%ac", "€")]
    [TestCase("€", "€")]
    [TestCase("100%", "100%")]
    [TestCase("%zz%4", "%zz%4")]
    [TestCase("%FF%41", "%FFA")]
    [TestCase("", "")]
    public void Body_values_decode_as_the_form_encoding_says(string encoded, string expected)
    {
        var body = Encoding.UTF8.GetBytes("Action=Test&Value=" + encoded);

        var parameters = QueryParameters.TryParse(body, string.Empty)!;

        Assert.That(parameters["Value"], Is.EqualTo(expected));
        Assert.That(QueryParameters.TryParse([], "Value=" + encoded)!["Value"], Is.EqualTo(expected), "the query string agrees");
    }

    [Test]
    public void Empty_pairs_are_skipped_and_a_name_without_value_is_empty()
    {
        var parameters = QueryParameters.TryParse("&&Action=A&&Flag&"u8, string.Empty)!;

        Assert.That(parameters, Is.EquivalentTo(new Dictionary<string, string> { ["Action"] = "A", ["Flag"] = string.Empty }));
    }

    [Test]
    public void More_than_the_maximum_number_of_parameters_is_refused()
    {
        var body = Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, QueryParameters.MaxParameters + 1).Select(i => $"P{i}=v")));

        Assert.That(QueryParameters.TryParse(body, string.Empty), Is.Null);
    }
}
