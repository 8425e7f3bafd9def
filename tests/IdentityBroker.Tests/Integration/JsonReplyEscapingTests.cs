using System.Text;
using System.Text.Json;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// Replies escape strings as AWS does: <c>+ / &lt; &gt; &amp; '</c> and non-ASCII letters as themselves; quote, backslash
/// and control characters escaped as JSON requires. Checked on the raw bytes of the reply, not on a parsed value.
/// </summary>
[TestFixture]
public sealed class JsonReplyEscapingTests
{
    // Written in the request exactly as the reply must write them back.
    private const string Html = "a+b/c<d>e&f'g";
    private const string Letters = "é ß 中 ☃ Ωmega";
    private const string JsonEscapes = """q\"b\\s\n\t\u0001\u007F\u2028""";

    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task A_pool_reply_writes_plus_slash_angle_brackets_ampersand_and_letters_as_themselves()
    {
        var tags = $$"""{"html":"{{Html}}","letters":"{{Letters}}","json":"{{JsonEscapes}}"}""";
        using var response = await _server.SignedCognitoAsync("CreateIdentityPool",
            $$"""{"IdentityPoolName":"Pool +=,.@-","AllowUnauthenticatedIdentities":false,"IdentityPoolTags":{{tags}}}""");
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), Encoding.UTF8.GetString(body));
        var poolId = JsonDocument.Parse(body).RootElement.GetProperty("IdentityPoolId").GetString();

        var expected = $$"""{"IdentityPoolId":"{{poolId}}","IdentityPoolName":"Pool +=,.@-","AllowUnauthenticatedIdentities":false,"IdentityPoolTags":{{tags}}}""";
        Assert.That(Encoding.UTF8.GetString(body), Is.EqualTo(expected));
        Assert.That(body, Is.EqualTo(Encoding.UTF8.GetBytes(expected)), "UTF-8 bytes, no escapes");
    }

    [Test]
    public async Task An_error_reply_echoing_the_value_writes_it_as_sent()
    {
        using var response = await _server.SignedCognitoAsync("CreateIdentityPool",
            """{"IdentityPoolName":"a<b>&c+é/d","AllowUnauthenticatedIdentities":false}""");
        var body = await response.Content.ReadAsByteArrayAsync();

        var expected = """{"__type":"ValidationException","message":"1 validation error detected: Value 'a<b>&c+é/d' at 'identityPoolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+"}""";
        Assert.That(body, Is.EqualTo(Encoding.UTF8.GetBytes(expected)), Encoding.UTF8.GetString(body));
    }

    [Test]
    public async Task A_secret_key_with_plus_or_slash_reads_as_itself_in_the_credentials_reply()
    {
        // The embedded STS derives 40 base64 characters: about every other secret has a '+'; twenty tries all but
        // guarantee one with '+' and one with '/'.
        var seen = new HashSet<char>();
        for (var attempt = 0; attempt < 20 && seen.Count < 2; attempt++)
        {
            using var getId = await _server.CognitoAsync("GetId", $$"""{"IdentityPoolId":"{{_server.DemoPoolId}}"}""");
            var identityId = (await AwsErrorAssert.IsSuccessAsync(getId)).GetProperty("IdentityId").GetString();
            using var response = await _server.CognitoAsync("GetCredentialsForIdentity", $$"""{"IdentityId":"{{identityId}}"}""");
            var raw = await response.Content.ReadAsStringAsync();
            var secret = JsonDocument.Parse(raw).RootElement.GetProperty("Credentials").GetProperty("SecretKey").GetString()!;

            Assert.That(raw, Does.Contain($"\"SecretKey\":\"{secret}\"").And.Not.Contain("\\u"));
            seen.UnionWith(secret.Where(c => c is '+' or '/'));
        }

        Assert.That(seen, Is.EquivalentTo(new[] { '+', '/' }), "no secret with '+' and '/' in twenty tries");
    }
}
