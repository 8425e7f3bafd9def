using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// IAM's SAMLMetadataDocument limit (10,000,000 characters) is reachable over the Query protocol even
/// when every character is percent-encoded (about 30,000,000 bytes of body, beyond Kestrel's default 30,000,000-byte cap),
/// while the JSON endpoint keeps its 1 MiB limit and large bodies cannot pile up in memory.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class QueryBodyLimitTests
{
    private const int MetadataLimit = 10_000_000;

    private BrokerServer _server = null!;
    private string _certificate = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=idp.example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        _certificate = Convert.ToBase64String(certificate.Export(X509ContentType.Cert));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Metadata_of_exactly_ten_million_characters_all_percent_encoded_is_accepted()
    {
        // Ten tags whose values ('=' × 256) percent-encode as well: the body passes Kestrel's default 30,000,000-byte cap.
        var tags = string.Concat(Enumerable.Range(1, 10).Select(i => $"&Tags.member.{i}.Key=k{i}&Tags.member.{i}.Value={Uri.EscapeDataString(new string('=', 256))}"));
        var form = CreateForm("AtTheLimit", Metadata(MetadataLimit)) + tags;
        Assert.That(form.Length, Is.GreaterThan(30_000_000));

        using var response = await _server.SignedQueryAsync("iam", form);

        var xml = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), xml[..Math.Min(xml.Length, 500)]);
        Assert.That(xml, Does.Contain("<SAMLProviderArn>arn:aws:iam::000000000000:saml-provider/AtTheLimit</SAMLProviderArn>"));
    }

    [Test]
    public async Task One_character_more_is_iams_validation_error_not_a_413()
    {
        using var response = await _server.SignedQueryAsync("iam", CreateForm("PastTheLimit", Metadata(MetadataLimit + 1)));

        var xml = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400), xml);
            Assert.That(xml, Does.Contain("<Code>ValidationError</Code>")
                .And.Contain("sAMLMetadataDocument").And.Contain("length less than or equal to 10000000"));
        });
    }

    [Test]
    public async Task Query_body_announced_above_32_mebibytes_is_refused_unread()
    {
        var reply = await SendHeadAsync("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 33554433\r\n");

        Assert.That(reply, Does.StartWith("HTTP/1.1 413").And.Contain("<Code>RequestEntityTooLargeException</Code>"));
    }

    [Test]
    public async Task Json_body_keeps_its_one_mebibyte_limit()
    {
        var reply = await SendHeadAsync("Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityService.GetId\r\nContent-Length: 1048577\r\n");

        Assert.That(reply, Does.StartWith("HTTP/1.1 413").And.Contain("RequestEntityTooLargeException"));
    }

    [Test]
    public async Task Query_body_without_a_content_length_keeps_the_one_mebibyte_limit()
    {
        using var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes("Action=ListRoles&Version=2010-05-08&Pad=" + new string('a', 1_100_000))));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _server.Http.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(413), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_third_large_body_while_two_are_being_read_is_throttled()
    {
        var (first, second) = (await HoldLargeBodyAsync(), await HoldLargeBodyAsync());
        try
        {
            var reply = await SendHeadAsync("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n");

            Assert.That(reply, Does.StartWith("HTTP/1.1 400").And.Contain("<Code>Throttling</Code>"));
        }
        finally
        {
            first.Dispose();
            second.Dispose();
        }
    }

    private static string CreateForm(string name, string metadata) =>
        $"Action=CreateSAMLProvider&Version=2010-05-08&Name={name}&SAMLMetadataDocument={Uri.EscapeDataString(metadata)}";

    /// <summary>Valid metadata padded to <paramref name="length"/> characters with a comment of '%', which percent-encodes to three bytes.</summary>
    private string Metadata(int length)
    {
        var document = Federation.Saml.SamlResponseSpec.Metadata(_certificate);
        var declarationEnd = document.IndexOf("?>", StringComparison.Ordinal) + 2;
        var padding = length - document.Length - "<!---->".Length;
        return document[..declarationEnd] + "<!--" + new string('%', padding) + "-->" + document[declarationEnd..];
    }

    /// <summary>Request headers (no body) on a raw socket; the broker's reply as text.</summary>
    private async Task<string> SendHeadAsync(string headers)
    {
        using var socket = await ConnectAsync();
        await socket.SendAsync(Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: {_server.BaseAddress.Authority}\r\n{headers}\r\n"));
        var reply = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var read = await socket.ReceiveAsync(reply, timeout.Token);
        return Encoding.ASCII.GetString(reply, 0, read);
    }

    /// <summary>A 2 MB Query request whose body never comes: the broker's "100 Continue" shows it is waiting in the body read.</summary>
    private async Task<Socket> HoldLargeBodyAsync()
    {
        var socket = await ConnectAsync();
        await socket.SendAsync(Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: {_server.BaseAddress.Authority}\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n"));
        var reply = new byte[256];
        var read = await socket.ReceiveAsync(reply);
        Assert.That(Encoding.ASCII.GetString(reply, 0, read), Does.StartWith("HTTP/1.1 100"));
        return socket;
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
        return socket;
    }
}
