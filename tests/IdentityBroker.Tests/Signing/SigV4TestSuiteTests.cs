using IdentityBroker.Protocol.Signing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Signing;

/// <summary>
/// Vectors of the AWS Signature Version 4 test suite (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html;
/// the same cases ship in awslabs/aws-c-auth and @aws-sdk/signature-v4's suite.fixture.js): AKIDEXAMPLE, 20150830T123600Z,
/// us-east-1, service "service". Each request carries its published Authorization header and must verify.
/// </summary>
public sealed class SigV4TestSuiteTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string Scope = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    public static IEnumerable<TestCaseData> Vectors()
    {
        yield return Vector("get-vanilla", "GET", "/", "", "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        yield return Vector("get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1", "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
        yield return Vector("get-vanilla-utf8-query", "GET", "/", "%E1%88%B4=bar", "host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
        yield return Vector("get-vanilla-query-unreserved", "GET", "/",
            "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            "host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
        yield return Vector("post-vanilla-query-nonunreserved", "POST", "/",
            "%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D", "host;x-amz-date", "66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e");
        yield return Vector("get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "", "host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f");
        yield return Vector("post-vanilla", "POST", "/", "", "host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
        yield return Vector("post-vanilla-query", "POST", "/", "Param1=value1", "host;x-amz-date", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11");
        yield return Vector("post-header-value-case", "POST", "/", "", "host;my-header1;x-amz-date", "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
            headers: [new("My-Header1", "VALUE1")]);
        yield return Vector("get-header-value-trim", "GET", "/", "", "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
            headers: [new("My-Header1", " value1"), new("My-Header2", "\"a   b   c\"")]);
        yield return Vector("post-x-www-form-urlencoded", "POST", "/", "", "content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            headers: [new("Content-Type", "application/x-www-form-urlencoded")], body: "Param1=value1");
    }

    [TestCaseSource(nameof(Vectors))]
    public async Task Published_vector_verifies(SignedRequest request)
    {
        var result = await Verify(request, new TestPrincipals().Add("AKIDEXAMPLE", Secret));

        Assert.That(result.Failure, Is.Null, result.Message);
        Assert.That(result.Principal!.AccessKeyId, Is.EqualTo("AKIDEXAMPLE"));
    }

    [Test]
    public void Get_vanilla_canonical_request_is_the_published_one()
    {
        var request = (SignedRequest)Vectors().First().Arguments[0]!;

        Assert.That(SigV4Verifier.CanonicalRequestFor(request), Is.EqualTo(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    [Test]
    public void Get_vanilla_query_order_key_case_canonical_query_is_sorted()
    {
        var request = (SignedRequest)Vectors().ElementAt(1).Arguments[0]!;

        Assert.That(SigV4Verifier.CanonicalRequestFor(request).Split('\n')[2], Is.EqualTo("Param1=value1&Param2=value2"));
    }

    /// <summary>post-sts-header-before: the session token is a signed header and reaches the principal source.</summary>
    [Test]
    public async Task Session_token_vector_verifies_and_passes_the_token_to_the_source()
    {
        const string Token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
        var request = (SignedRequest)Vector("post-sts-header-before", "POST", "/", "", "host;x-amz-date;x-amz-security-token",
            "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead", headers: [new("X-Amz-Security-Token", Token)]).Arguments[0]!;
        var principals = new TestPrincipals().Add("AKIDEXAMPLE", Secret, Token);

        var result = await Verify(request, principals);

        Assert.That(result.Failure, Is.Null, result.Message);
        Assert.That(principals.Lookups, Is.EqualTo(new[] { ("AKIDEXAMPLE", (string?)Token) }));
    }

    /// <summary>The 2011 edition of the suite signs the Date header (no X-Amz-Date); get-relative-relative adds dot segments.</summary>
    [TestCase("/")]
    [TestCase("/foo/bar/../..")]
    public async Task Suite_2011_vector_with_date_header_verifies(string path)
    {
        var request = new SignedRequest("GET", path, "",
        [
            new("Host", "host.foo.com"),
            new("Date", "Mon, 09 Sep 2011 23:36:00 GMT"),
            new("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, SignedHeaders=date;host, Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470"),
        ], ReadOnlyMemory<byte>.Empty);
        var verifier = new SigV4Verifier(new FakeTimeProvider(new DateTimeOffset(2011, 9, 9, 23, 40, 0, TimeSpan.Zero)));

        var result = await verifier.VerifyAsync(request, new TestPrincipals().Add("AKIDEXAMPLE", Secret), CancellationToken.None);

        Assert.That(result.Failure, Is.Null, result.Message);
    }

    [Test]
    public async Task Published_vector_with_one_signature_digit_changed_does_not_match()
    {
        var request = (SignedRequest)Vectors().First().Arguments[0]!;
        request = request.WithHeader("Authorization", request.Header("Authorization")!.Replace("Signature=5fa0", "Signature=5fa1", StringComparison.Ordinal));

        var result = await Verify(request, new TestPrincipals().Add("AKIDEXAMPLE", Secret));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
    }

    /// <summary>The suite sends no x-amz-content-sha256, so the body is covered only through the computed payload hash.</summary>
    [Test]
    public async Task Published_form_vector_with_changed_body_does_not_match()
    {
        var request = (SignedRequest)Vectors().Last().Arguments[0]!;

        var result = await Verify(request with { Body = "Param1=value2"u8.ToArray() }, new TestPrincipals().Add("AKIDEXAMPLE", Secret));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
    }

    private static TestCaseData Vector(string name, string method, string path, string query, string signedHeaders, string signature,
        KeyValuePair<string, string>[]? headers = null, string body = "")
    {
        List<KeyValuePair<string, string>> all = [new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z"), .. headers ?? []];
        all.Add(new("Authorization", $"{Scope}SignedHeaders={signedHeaders}, Signature={signature}"));
        var request = new SignedRequest(method, path, query, all, System.Text.Encoding.UTF8.GetBytes(body));
        return new TestCaseData(request).SetName(name);
    }

    private static ValueTask<SignatureVerification> Verify(SignedRequest request, ISigningPrincipalSource principals) =>
        new SigV4Verifier(new FakeTimeProvider(SuiteTime)).VerifyAsync(request, principals, CancellationToken.None);
}
