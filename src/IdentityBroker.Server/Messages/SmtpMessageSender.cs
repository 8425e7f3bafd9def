using System.Net.Sockets;
using IdentityBroker.UserPools.Messages;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace IdentityBroker.Server.Messages;

/// <summary>
/// Sends email over SMTP with MailKit: implicit TLS on port 465, STARTTLS required elsewhere, plain only when
/// <see cref="SmtpOptions.UseTls"/> is false; one connection per message, within <see cref="SmtpOptions.Timeout"/>.
/// </summary>
internal sealed class SmtpMessageSender(SmtpOptions options)
{
    /// <returns>Null when the server accepted the message; else why not (exception type, never the message).</returns>
    public async Task<string?> SendAsync(UserPoolMessage message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(options.Host!, options.Port, Security(), timeout.Token).ConfigureAwait(false);
            if (options.UserName is { } user)
            {
                await client.AuthenticateAsync(user, options.Password ?? string.Empty, timeout.Token).ConfigureAwait(false);
            }

            await client.SendAsync(Mime(message), timeout.Token).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timeout";
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or CommandException
            or ProtocolException or SslHandshakeException or ParseException or TimeoutException or InvalidOperationException)
        {
            return e.GetType().Name;
        }
    }

    private SecureSocketOptions Security() =>
        !options.UseTls ? SecureSocketOptions.None
        : options.Port == 465 ? SecureSocketOptions.SslOnConnect
        : SecureSocketOptions.StartTls;

    private MimeMessage Mime(UserPoolMessage message)
    {
        var mime = new MimeMessage { Subject = message.Subject, Body = new TextPart("plain") { Text = message.Body } };
        mime.From.Add(MailboxAddress.Parse(options.From!));
        mime.To.Add(MailboxAddress.Parse(message.Destination));
        return mime;
    }
}
