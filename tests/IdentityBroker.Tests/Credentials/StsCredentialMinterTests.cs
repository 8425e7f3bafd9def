using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IdentityBroker.Credentials;
using IdentityBroker.Tests.Sts;

namespace IdentityBroker.Tests.Credentials;

/// <summary>The aws-mode minter against a real third-party STS (moto_server) and against a scripted STS error.</summary>
public sealed class StsCredentialMinterTests
{
    /// <summary>The broker's claims, which this minter signs: the token leaves the process.</summary>
    private static readonly MintRequest Request = new(
        "arn:aws:iam::123456789012:role/Auth", BrokerClaimsPathTests.Built(new StsFixture().BrokerClaims(), StsFixture.SharedBrokerKey),
        "CognitoIdentityCredentials", null, [], 900);

    [Test]
    public async Task Mints_credentials_from_moto_server()
    {
        var moto = FindOnPath("moto_server");
        if (moto is null)
        {
            Assert.Ignore("moto_server is not on PATH, so the aws-mode minter cannot be run against a real STS here (pip install 'moto[server]').");
        }

        var port = FreePort();
        using var process = Process.Start(new ProcessStartInfo(moto, $"-H 127.0.0.1 -p {port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitForPortAsync(port, process, TimeSpan.FromSeconds(60));
            using var minter = Minter($"http://127.0.0.1:{port}");

            var result = await minter.MintAsync(Request, CancellationToken.None);

            Assert.That(result.Failure, Is.Null, () => $"{result.Failure?.Code}: {result.Failure?.Detail}");
            Assert.That(result.Credentials!.AccessKeyId, Does.StartWith("ASIA"));
            Assert.That(result.Credentials.SecretAccessKey, Is.Not.Empty);
            Assert.That(result.Credentials.SessionToken, Is.Not.Empty);
            Assert.That(result.Credentials.Expiration, Is.GreaterThan(DateTimeOffset.UtcNow));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Test]
    public async Task Sts_error_codes_become_mint_failures_without_retrying_a_4xx()
    {
        await using var sts = new ScriptedSts(FreePort(), (400, "InvalidIdentityToken", "Incorrect token audience"));
        using var minter = Minter(sts.Url);

        var result = await minter.MintAsync(Request, CancellationToken.None);

        Assert.That(result.Credentials, Is.Null);
        Assert.That(result.Failure!.Code, Is.EqualTo("InvalidIdentityToken"));
        Assert.That(result.Failure.Detail, Does.Contain("Incorrect token audience"));
        Assert.That(sts.Requests, Is.EqualTo(1));
    }

    [Test]
    public async Task A_5xx_is_retried_and_then_reported()
    {
        await using var sts = new ScriptedSts(FreePort(), (503, "ServiceUnavailable", "busy"));
        using var minter = Minter(sts.Url);

        var result = await minter.MintAsync(Request, CancellationToken.None);

        Assert.That(result.Failure!.Code, Is.EqualTo("ServiceUnavailable"));
        Assert.That(sts.Requests, Is.EqualTo(3));
    }

    [Test]
    public async Task Unreachable_sts_is_a_failure_value_not_an_exception()
    {
        using var minter = Minter($"http://127.0.0.1:{FreePort()}");

        var result = await minter.MintAsync(Request, CancellationToken.None);

        Assert.That(result.Credentials, Is.Null);
        Assert.That(result.Failure, Is.Not.Null);
    }

    private static StsCredentialMinter Minter(string url) =>
        new(Microsoft.Extensions.Options.Options.Create(new BrokerOptions { Region = "us-east-1", Sts = new StsOptions { Mode = IdentityBroker.Sts.StsMode.Aws, ServiceUrl = url } }), TimeProvider.System);

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, Process process, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                Assert.Fail($"moto_server exited with code {process.ExitCode} before listening.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }

        Assert.Fail($"moto_server did not listen on port {port} within {timeout.TotalSeconds} s.");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>An HTTP endpoint that answers every request with one STS error document.</summary>
    private sealed class ScriptedSts : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;
        private int _requests;

        public ScriptedSts(int port, (int Status, string Code, string Message) reply)
        {
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _serving = Task.Run(() => ServeAsync(reply));
        }

        public string Url { get; }

        public int Requests => Volatile.Read(ref _requests);

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _serving;
            _listener.Close();
        }

        private async Task ServeAsync((int Status, string Code, string Message) reply)
        {
            var body = System.Text.Encoding.UTF8.GetBytes(
                $"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>{reply.Code}</Code>" +
                $"<Message>{reply.Message}</Message></Error><RequestId>r</RequestId></ErrorResponse>");
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                context.Response.StatusCode = reply.Status;
                context.Response.ContentType = "text/xml";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
