using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace IdentityBroker.Tests.UserPools.Messages;

/// <summary>
/// A small real SMTP server (RFC 5321 commands EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) on 127.0.0.1, plain
/// text only (it never offers STARTTLS). Records what each client sent; can refuse every recipient.
/// </summary>
internal sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackSmtpServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public bool RefuseRecipients { get; set; }

    public ConcurrentQueue<ReceivedMail> Received { get; } = new();

    /// <summary>The user name and password of each AUTH PLAIN.</summary>
    public ConcurrentQueue<(string User, string Password)> Logins { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 localhost test SMTP");
        string? from = null;
        var to = new List<string>();
        try
        {
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO":
                        await writer.WriteLineAsync("250-localhost\r\n250-AUTH PLAIN\r\n250 8BITMIME");
                        break;
                    case "AUTH":
                        await AuthenticateAsync(line, reader, writer);
                        break;
                    case "MAIL":
                        from = Address(line);
                        await writer.WriteLineAsync("250 2.1.0 OK");
                        break;
                    case "RCPT" when RefuseRecipients:
                        await writer.WriteLineAsync("550 5.1.1 No such user");
                        break;
                    case "RCPT":
                        to.Add(Address(line));
                        await writer.WriteLineAsync("250 2.1.5 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        Received.Enqueue(new ReceivedMail(from, [.. to], await ReadDataAsync(reader)));
                        await writer.WriteLineAsync("250 2.0.0 Queued");
                        break;
                    case "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 OK");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not recognized");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task AuthenticateAsync(string line, StreamReader reader, StreamWriter writer)
    {
        var parts = line.Split(' ');
        var response = parts.Length > 2 ? parts[2] : null;
        if (response is null)
        {
            await writer.WriteLineAsync("334 ");
            response = await reader.ReadLineAsync() ?? string.Empty;
        }

        var fields = Encoding.UTF8.GetString(Convert.FromBase64String(response)).Split('\0');
        Logins.Enqueue((fields[1], fields[2]));
        await writer.WriteLineAsync("235 2.7.0 Authentication successful");
    }

    private static async Task<MimeMessage> ReadDataAsync(StreamReader reader)
    {
        var data = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line && line != ".")
        {
            data.Append(line.StartsWith("..", StringComparison.Ordinal) ? line[1..] : line).Append("\r\n");
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(data.ToString()));
        return await MimeMessage.LoadAsync(stream);
    }

    private static string Address(string line) => line[(line.IndexOf('<', StringComparison.Ordinal) + 1)..line.IndexOf('>', StringComparison.Ordinal)];
}

internal sealed record ReceivedMail(string? From, IReadOnlyList<string> To, MimeMessage Message);
