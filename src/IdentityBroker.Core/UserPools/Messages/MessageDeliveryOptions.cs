using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace IdentityBroker.UserPools.Messages;

/// <summary>
/// How user-pool messages leave the broker, bound from the <c>Broker</c> section: <c>Broker:Mail:Smtp:*</c> for email,
/// <c>Broker:Sms:WebhookUrl</c> for SMS. A channel left unset goes to the dev outbox (docs/user-pools.md, "Messages and codes").
/// </summary>
public sealed class MessageDeliveryOptions
{
    public MailOptions Mail { get; set; } = new();

    public SmsOptions Sms { get; set; } = new();
}

public sealed class MailOptions
{
    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    /// <summary>The SMTP server; unset, email goes to the dev outbox.</summary>
    public string? Host { get; set; }

    /// <summary>587 (submission, STARTTLS) by default.</summary>
    public int Port { get; set; } = 587;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender address, e.g. <c>no-reply@example.com</c> or <c>"Example" &lt;no-reply@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>
    /// True (the default): TLS is required — implicit TLS on port 465, STARTTLS elsewhere — and the server certificate is
    /// validated. False: plain SMTP, for a relay on the same host or a test server only.
    /// </summary>
    public bool UseTls { get; set; } = true;

    /// <summary>The longest one delivery may take, connection included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class SmsOptions
{
    /// <summary>Where SMS messages are POSTed as JSON; unset, they go to the dev outbox.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>The longest one webhook call may take, connection included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Fails start-up on delivery settings that cannot work, naming the key to fix.</summary>
public sealed class MessageDeliveryOptionsValidator : IValidateOptions<MessageDeliveryOptions>
{
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaximumTimeout = TimeSpan.FromMinutes(2);

    public ValidateOptionsResult Validate(string? name, MessageDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ValidateSmtp(options.Mail.Smtp, failures);
        ValidateSms(options.Sms, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateSmtp(SmtpOptions smtp, List<string> failures)
    {
        if (smtp.Host is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(smtp.Host) || Uri.CheckHostName(smtp.Host) == UriHostNameType.Unknown)
        {
            failures.Add($"Broker:Mail:Smtp:Host '{smtp.Host}' is not a host name or address.");
        }

        if (smtp.Port is < 1 or > 65535)
        {
            failures.Add($"Broker:Mail:Smtp:Port must be 1 to 65535, not {smtp.Port}.");
        }

        if (smtp.From is null || !MailAddress.TryCreate(smtp.From, out _))
        {
            failures.Add("Broker:Mail:Smtp:From must be an email address (it is required when Broker:Mail:Smtp:Host is set).");
        }

        if ((smtp.UserName is null) != (smtp.Password is null))
        {
            failures.Add("Broker:Mail:Smtp:UserName and Broker:Mail:Smtp:Password must be set together.");
        }

        if (smtp.Timeout < MinimumTimeout || smtp.Timeout > MaximumTimeout)
        {
            failures.Add("Broker:Mail:Smtp:Timeout must be 00:00:00.1 to 00:02:00.");
        }
    }

    private static void ValidateSms(SmsOptions sms, List<string> failures)
    {
        if (sms.WebhookUrl is { } url && !(url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))))
        {
            failures.Add("Broker:Sms:WebhookUrl must be an absolute https URL (http only on loopback).");
        }

        if (sms.Timeout < MinimumTimeout || sms.Timeout > MaximumTimeout)
        {
            failures.Add("Broker:Sms:Timeout must be 00:00:00.1 to 00:02:00.");
        }
    }
}
