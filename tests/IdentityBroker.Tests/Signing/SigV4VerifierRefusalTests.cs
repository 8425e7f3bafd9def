using System.Text;
using IdentityBroker.Protocol.Signing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Signing;

/// <summary>One valid SDK-signed Cognito request; each test breaks exactly one thing.</summary>
public sealed class SigV4VerifierRefusalTests
{
    private const string Json = """{"IdentityPoolId":"us-east-1:11111111-2222-3333-4444-555555555555"}""";

    private FakeTimeProvider _time = null!;
    private SigV4Verifier _verifier = null!;
    private TestPrincipals _principals = null!;
    private SignedRequest _valid = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(SdkSigner.SignedAt));
        _verifier = new SigV4Verifier(_time);
        _principals = new TestPrincipals().Add(SdkSigner.AccessKeyId, SdkSigner.Secret);
        _valid = SdkSigner.CognitoJson("DescribeIdentityPool", Json);
    }

    [Test]
    public async Task Baseline_verifies()
    {
        Assert.That((await Verify(_valid)).IsValid, Is.True);
    }

    [Test]
    public async Task Changed_body_does_not_match()
    {
        var result = await Verify(_valid with { Body = Encoding.UTF8.GetBytes(Json.Replace("1111", "9999", StringComparison.Ordinal)) });

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
        Assert.That(result.Message, Does.StartWith("The request signature we calculated does not match the signature you provided."));
    }

    [Test]
    public async Task Changed_body_with_its_own_content_hash_does_not_match()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));

        var result = await Verify((_valid with { Body = body }).WithHeader("X-Amz-Content-SHA256", hash));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
    }

    [Test]
    public async Task Unsigned_payload_marker_is_refused()
    {
        var result = await Verify(_valid.WithHeader("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
    }

    [Test]
    public async Task Changed_signed_header_does_not_match()
    {
        var result = await Verify(_valid.WithHeader("X-Amz-Target", "AWSCognitoIdentityService.DeleteIdentityPool"));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
    }

    [Test]
    public async Task Changed_host_does_not_match()
    {
        var result = await Verify(_valid.WithHeader("Host", "broker.example.com"));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
    }

    [Test]
    public async Task Wrong_secret_does_not_match()
    {
        var result = await Verify(_valid, new TestPrincipals().Add(SdkSigner.AccessKeyId, SdkSigner.Secret + "x"));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
    }

    [Test]
    public async Task Unknown_access_key_is_refused_as_unknown()
    {
        var result = await Verify(_valid, new TestPrincipals().Add("AKIAOTHERKEY", SdkSigner.Secret));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.UnknownAccessKey));
        Assert.That(result.Message, Is.EqualTo("The security token included in the request is invalid."));
    }

    [Test]
    public async Task Request_dated_16_minutes_ago_is_expired_with_the_aws_text()
    {
        _time.Advance(TimeSpan.FromMinutes(16));

        var result = await Verify(_valid);

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Expired));
        Assert.That(result.Message, Is.EqualTo("Signature expired: 20261127T090000Z is now earlier than 20261127T090100Z (20261127T091600Z - 15 min.)"));
        Assert.That(_principals.Lookups, Is.Empty, "time is checked before the key store is asked");
    }

    [Test]
    public async Task Request_dated_16_minutes_ahead_is_not_yet_current()
    {
        var verifier = new SigV4Verifier(new FakeTimeProvider(new DateTimeOffset(SdkSigner.SignedAt).AddMinutes(-16)));

        var result = await verifier.VerifyAsync(_valid, _principals, CancellationToken.None);

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Expired));
        Assert.That(result.Message, Is.EqualTo("Signature not yet current: 20261127T090000Z is still later than 20261127T085900Z (20261127T084400Z + 15 min.)"));
    }

    [Test]
    public async Task Request_dated_exactly_15_minutes_ago_still_verifies()
    {
        _time.Advance(TimeSpan.FromMinutes(15));

        Assert.That((await Verify(_valid)).IsValid, Is.True);
    }

    [Test]
    public async Task Scope_date_other_than_the_request_date_is_refused()
    {
        var authorization = _valid.Header("Authorization")!.Replace("/20261127/", "/20261126/", StringComparison.Ordinal);

        var result = await Verify(_valid.WithHeader("Authorization", authorization));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
        Assert.That(result.Message, Does.StartWith("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261126' != '20261127'"));
    }

    [Test]
    public async Task Missing_authorization_is_missing()
    {
        var result = await Verify(_valid.WithHeader("Authorization", null));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Missing));
        Assert.That(result.Message, Is.EqualTo("Request is missing Authentication Token"));
    }

    [Test]
    public async Task Host_not_among_signed_headers_is_incomplete()
    {
        var authorization = _valid.Header("Authorization")!.Replace("host;", string.Empty, StringComparison.Ordinal);

        var result = await Verify(_valid.WithHeader("Authorization", authorization));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Incomplete));
    }

    [Test]
    public async Task Missing_date_is_incomplete()
    {
        var result = await Verify(_valid.WithHeader("X-Amz-Date", null));

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Incomplete));
    }

    [Test]
    public async Task Signed_x_amz_date_replaced_by_a_date_header_does_not_match()
    {
        // The Date header is read when X-Amz-Date is absent (so not Incomplete), but the SDK signed x-amz-date: mismatch.
        var request = _valid.WithHeader("X-Amz-Date", null).WithHeader("Date", "Fri, 27 Nov 2026 09:00:00 GMT");

        var result = await Verify(request);

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Mismatch));
    }

    [Test]
    public async Task Authorization_and_presigned_query_together_are_incomplete()
    {
        var result = await Verify(_valid with { QueryString = "X-Amz-Signature=00" });

        Assert.That(result.Failure, Is.EqualTo(SignatureFailure.Incomplete));
    }

    public static IEnumerable<TestCaseData> GarbageAuthorizations()
    {
        const string Scope = "Credential=AKIAIOSFODNN7EXAMPLE/20261127/us-east-1/cognito-identity/aws4_request";
        const string Sig = "Signature=0000000000000000000000000000000000000000000000000000000000000000";
        yield return new TestCaseData("Bearer eyJhbGciOiJub25lIn0.e30.", SignatureFailure.Incomplete).SetName("bearer token");
        yield return new TestCaseData("AWS4-HMAC-SHA256", SignatureFailure.Incomplete).SetName("algorithm only");
        yield return new TestCaseData("AWS4-HMAC-SHA256 ", SignatureFailure.Incomplete).SetName("algorithm and space");
        yield return new TestCaseData("AWS4-HMAC-SHA256 ,,,,,=,=", SignatureFailure.Incomplete).SetName("commas and equals");
        yield return new TestCaseData("AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=", SignatureFailure.Incomplete).SetName("empty parts");
        yield return new TestCaseData($"AWS4-HMAC-SHA256 {Scope}, {Sig}", SignatureFailure.Incomplete).SetName("no signed headers");
        yield return new TestCaseData($"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261127/us-east-1, SignedHeaders=host, {Sig}", SignatureFailure.Incomplete).SetName("short scope");
        yield return new TestCaseData($"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261127/us-east-1/sts/aws5_request, SignedHeaders=host, {Sig}", SignatureFailure.Incomplete).SetName("bad terminator");
        yield return new TestCaseData($"AWS4-HMAC-SHA256 Credential=/20261127/us-east-1/sts/aws4_request, SignedHeaders=host, {Sig}", SignatureFailure.Incomplete).SetName("empty key id");
        yield return new TestCaseData($"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2026-11-27/us-east-1/sts/aws4_request, SignedHeaders=host, {Sig}", SignatureFailure.Mismatch).SetName("scope date not basic format");
        yield return new TestCaseData($"AWS4-HMAC-SHA256 {Scope}, SignedHeaders=host;;x-amz-date, {Sig}", SignatureFailure.Incomplete).SetName("empty signed header name");
        yield return new TestCaseData($"AWS4-HMAC-SHA256 {Scope}, SignedHeaders=host;x-amz-date, Signature=zz", SignatureFailure.Mismatch).SetName("signature not hex");
        yield return new TestCaseData($"AWS4-HMAC-SHA256 {Scope}, SignedHeaders=host;x-amz-date, Signature=00", SignatureFailure.Mismatch).SetName("signature too short");
        yield return new TestCaseData($"AWS4-HMAC-SHA256 {Scope}, SignedHeaders=host;x-amz-date, {Sig}", SignatureFailure.Mismatch).SetName("well formed, wrong signature");
        yield return new TestCaseData("AWS4-HMAC-SHA256 Credential=\u0000\uD800/\uFFFF, SignedHeaders=\u2028, Signature=\uDFFF", SignatureFailure.Incomplete).SetName("control and lone surrogates");
        yield return new TestCaseData("AWS4-HMAC-SHA256 " + new string(',', 10_000), SignatureFailure.Incomplete).SetName("ten thousand commas");
    }

    [TestCaseSource(nameof(GarbageAuthorizations))]
    public async Task Garbage_authorization_is_refused_without_exception(string authorization, SignatureFailure expected)
    {
        var result = await Verify(_valid.WithHeader("Authorization", authorization));

        Assert.That(result.Failure, Is.EqualTo(expected), result.Message);
    }

    [TestCase("")]
    [TestCase("   ")]
    public async Task Blank_authorization_is_missing(string authorization)
    {
        Assert.That((await Verify(_valid.WithHeader("Authorization", authorization))).Failure, Is.EqualTo(SignatureFailure.Missing));
    }

    /// <summary>Fuzz-ish: random single-character edits of the header, date, query and path never throw and never verify.</summary>
    [Test]
    public async Task Random_edits_never_throw_and_never_verify()
    {
        var random = new Random(20261127);
        const string Alphabet = "aA0/=,;%+ \t&?.\u00e9\u0000-_~";
        for (var i = 0; i < 2000; i++)
        {
            var field = i % 4;
            var original = field switch
            {
                0 => _valid.Header("Authorization")!,
                1 => _valid.Header("X-Amz-Date")!,
                2 => "Action=GetCallerIdentity&X-Amz-Credential=a%2Fb&X-Amz-Signature=00",
                _ => "/a/b/../c",
            };
            var chars = original.ToCharArray();
            var at = random.Next(chars.Length);
            var replacement = Alphabet[random.Next(Alphabet.Length)];
            var sameMeaning = chars[at] == replacement || (char.IsWhiteSpace(chars[at]) && char.IsWhiteSpace(replacement)); // separators may be any blank
            chars[at] = replacement;
            var edited = new string(chars);
            var request = field switch
            {
                0 => _valid.WithHeader("Authorization", edited),
                1 => _valid.WithHeader("X-Amz-Date", edited),
                2 => _valid.WithHeader("Authorization", null) with { QueryString = edited },
                _ => _valid with { Path = edited },
            };
            if (field < 2 && sameMeaning)
            {
                continue;
            }

            var result = await Verify(request);

            Assert.That(result.IsValid, Is.False, $"edit {i} verified: {edited}");
        }
    }

    private ValueTask<SignatureVerification> Verify(SignedRequest request, ISigningPrincipalSource? principals = null) =>
        _verifier.VerifyAsync(request, principals ?? _principals, CancellationToken.None);
}
