using IdentityBroker.Errors;
using IdentityBroker.Observability;
using IdentityBroker.Server.Hosting;
using IdentityBroker.UserPools.Messages;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Messages;

/// <summary>
/// The broker's <see cref="IUserPoolMessageSender"/>: email over SMTP when <c>Broker:Mail:Smtp:Host</c> is set, SMS to the
/// webhook when <c>Broker:Sms:WebhookUrl</c> is set, and each channel left unset to the <see cref="DevOutbox"/>. Logs say
/// where a message went, never its body; failures are logged with the destination redacted, at most one line per
/// <see cref="LogThrottle.Interval"/> per channel, and so are the lines pointing to the outbox (a burst of unsigned
/// SignUp calls must not become a burst of log lines).
/// </summary>
internal sealed partial class UserPoolMessageRouter : IUserPoolMessageSender
{
    private readonly SmtpMessageSender? _smtp;
    private readonly SmsWebhookSender? _sms;
    private readonly DevOutbox _outbox;
    private readonly ILogger<UserPoolMessageRouter> _logger;
    private readonly LogThrottle _emailFailures;
    private readonly LogThrottle _smsFailures;
    private readonly LogThrottle _outboxLines;

    public UserPoolMessageRouter(
        IOptions<MessageDeliveryOptions> options, IHttpClientFactory clients, DevOutbox outbox, TimeProvider time, ILogger<UserPoolMessageRouter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var delivery = options.Value;
        _smtp = delivery.Mail.Smtp.Host is null ? null : new SmtpMessageSender(delivery.Mail.Smtp);
        _sms = delivery.Sms.WebhookUrl is null ? null : new SmsWebhookSender(delivery.Sms, clients);
        _outbox = outbox;
        _logger = logger;
        _emailFailures = new LogThrottle(time);
        _smsFailures = new LogThrottle(time);
        _outboxLines = new LogThrottle(time);
    }

    public async Task<Result<Unit>> SendAsync(UserPoolMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message.Channel)
        {
            case MessageChannel.Email when _smtp is not null:
                return Outcome(await _smtp.SendAsync(message, cancellationToken).ConfigureAwait(false), message, _emailFailures, DeliveryErrors.Email);
            case MessageChannel.Sms when _sms is not null:
                return Outcome(await _sms.SendAsync(message, cancellationToken).ConfigureAwait(false), message, _smsFailures, DeliveryErrors.Sms);
            default:
                _outbox.Add(message);
                if (_outboxLines.TryTake(out var suppressed))
                {
                    LogToOutbox(_logger, message.Purpose, message.Channel, message.UserPoolId, $"/admin/api/userpools/{message.UserPoolId}/outbox", suppressed);
                }

                return Unit.Value;
        }
    }

    private Result<Unit> Outcome(string? failure, UserPoolMessage message, LogThrottle throttle, AwsError error)
    {
        if (failure is null)
        {
            return Unit.Value;
        }

        if (throttle.TryTake(out var suppressed))
        {
            LogDeliveryFailed(_logger, message.Channel, message.UserPoolId, DeliveryErrors.Redact(message.Destination), failure, suppressed);
        }

        return error;
    }

    [LoggerMessage(EventId = LogEvents.UserPoolMessageToOutbox, Level = LogLevel.Information,
        Message = "{Purpose} {Channel} message of pool {UserPoolId} is in the dev outbox (no transport configured): read it with a signed GET {OutboxPath} ({Suppressed} more outbox messages since the last line)")]
    private static partial void LogToOutbox(ILogger logger, MessagePurpose purpose, MessageChannel channel, string userPoolId, string outboxPath, int suppressed);

    [LoggerMessage(EventId = LogEvents.UserPoolMessageNotDelivered, Level = LogLevel.Warning,
        Message = "{Channel} message of pool {UserPoolId} to {Destination} not delivered: {Reason} ({Suppressed} more since the last line)")]
    private static partial void LogDeliveryFailed(ILogger logger, MessageChannel channel, string userPoolId, string destination, string reason, int suppressed);
}
