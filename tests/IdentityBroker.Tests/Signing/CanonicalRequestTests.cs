using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Tests.Signing;

/// <summary>Canonical pieces the published vectors do not reach, and the signing-key cache.</summary>
public sealed class CanonicalRequestTests
{
    private const string Authorization =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=00";

    [TestCase("/", "/")]
    [TestCase("", "/")]
    [TestCase("/a/./b/../c//d/", "/a/c/d/")]
    [TestCase("/../..", "/")]
    [TestCase("/d%20e", "/d%2520e")] // non-S3 services: the already-encoded path is encoded again
    [TestCase("/%E1%88%B4", "/%25E1%2588%25B4")]
    [TestCase("/a b:c", "/a%20b%3Ac")]
    public void Canonical_uri_is_normalised_and_encoded_again(string path, string expected)
    {
        Assert.That(Line(new SignedRequestBuilder { Path = path }.Build(), 1), Is.EqualTo(expected));
    }

    [TestCase("b=2&a=1&a=0", "a=0&a=1&b=2")]
    [TestCase("a+b=c%20d", "a%20b=c%20d")]
    [TestCase("flag&x=", "flag=&x=")]
    [TestCase("%zz=%4", "%25zz=%254")]
    [TestCase("k=%2f%2F", "k=%2F%2F")]
    [TestCase("&&a=1&&", "a=1")]
    public void Canonical_query_is_decoded_encoded_and_sorted(string query, string expected)
    {
        Assert.That(Line(new SignedRequestBuilder { Query = query }.Build(), 2), Is.EqualTo(expected));
    }

    [Test]
    public void Repeated_headers_are_joined_with_commas_and_blanks_collapsed()
    {
        var request = new SignedRequestBuilder().Build();
        request = request with
        {
            Headers = [.. request.Headers, new("My-Header", "  a \t  b "), new("my-header", "c")],
        };
        request = request.WithHeader("Authorization", Authorization.Replace("host;x-amz-date", "host;my-header;x-amz-date", StringComparison.Ordinal));

        Assert.That(Line(request, 4), Is.EqualTo("my-header:a b,c"));
    }

    [Test]
    public void Signing_key_cache_returns_the_derived_key_and_stays_bounded()
    {
        var cache = new SigningKeyCache(capacity: 4);
        var key = cache.Get("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");

        // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
        Assert.That(Convert.ToHexStringLower(key), Is.EqualTo("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"));
        Assert.That(cache.Get("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam"), Is.SameAs(key));
        for (var day = 1; day <= 10; day++)
        {
            cache.Get("secret", $"201508{day:00}", "us-east-1", "iam");
        }

        Assert.That(cache.Count, Is.LessThanOrEqualTo(4));
    }

    private static string Line(SignedRequest request, int index) => SigV4Verifier.CanonicalRequestFor(request).Split('\n')[index];

    private sealed class SignedRequestBuilder
    {
        public string Path { get; init; } = "/";

        public string Query { get; init; } = string.Empty;

        public SignedRequest Build() => new("GET", Path, Query,
            [new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z"), new("Authorization", Authorization)],
            ReadOnlyMemory<byte>.Empty);
    }
}
