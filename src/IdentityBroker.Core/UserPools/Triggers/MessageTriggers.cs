using System.Text.Json.Nodes;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Messages;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>
/// Which code message is being sent, for the message triggers: <paramref name="Source"/> is the triggerSource suffix
/// Cognito uses (SignUp, ResendCode, ForgotPassword, UpdateUserAttribute, VerifyUserAttribute, Authentication,
/// AdminCreateUser), prefixed with CustomMessage_, CustomEmailSender_ or CustomSMSSender_.
/// </summary>
public sealed record CodeMessageTrigger(UserPool Pool, PoolUser User, string Source, string? ClientId = null)
{
    public const string SignUp = "SignUp";
    public const string ResendCode = "ResendCode";
    public const string ForgotPassword = "ForgotPassword";
    public const string UpdateUserAttribute = "UpdateUserAttribute";
    public const string VerifyUserAttribute = "VerifyUserAttribute";
    public const string Authentication = "Authentication";
    public const string AdminCreateUser = "AdminCreateUser";

    /// <summary>The call's ClientMetadata, the events' <c>clientMetadata</c>.</summary>
    public TriggerInputs Inputs { get; init; } = TriggerInputs.None;
}

/// <summary>
/// CustomMessage (Cognito developer guide, "Custom message Lambda trigger"): the function gets the placeholders
/// (<c>codeParameter</c> "{####}", <c>usernameParameter</c>, <c>linkParameter</c>) and may return emailMessage,
/// emailSubject and smsMessage, which the broker fills with the code. CustomEmailSender and CustomSMSSender: the function
/// gets the code and sends the message itself. Cognito encrypts that code with the pool's KMS key; the broker has no
/// KMS, so <c>request.code</c> is the code in clear, protected by the signed channel (https to the receiver, HMAC).
/// </summary>
public sealed class MessageTriggers(TriggerInvoker invoker)
{
    public const string CodePlaceholder = "{####}";
    public const string LinkPlaceholder = "{##Verify Email##}";
    public const string UsernamePlaceholder = "{username}";

    /// <summary>
    /// Sends <paramref name="message"/> carrying <paramref name="code"/> (a code, or AdminCreateUser's temporary password)
    /// through the pool's message triggers: a custom sender for the channel takes the code instead of
    /// <paramref name="sender"/>, else a CustomMessage function may reword the message first.
    /// </summary>
    public async Task<Result<Unit>> SendAsync(CodeMessageTrigger trigger, UserPoolMessage message, string code, IUserPoolMessageSender sender,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(sender);
        var custom = await CustomSendAsync(trigger, message.Channel, code, cancellationToken).ConfigureAwait(false);
        if (!custom.IsSuccess || custom.Value)
        {
            return custom.IsSuccess ? Unit.Value : custom.Error!;
        }

        var worded = await CustomizeAsync(trigger, message, code, cancellationToken).ConfigureAwait(false);
        return worded.IsSuccess ? await sender.SendAsync(worded.Value, cancellationToken).ConfigureAwait(false) : worded.Error!;
    }

    /// <summary>True when a custom sender took the code (the broker sends nothing); false when the pool has none for the channel.</summary>
    public async Task<Result<bool>> CustomSendAsync(CodeMessageTrigger trigger, MessageChannel channel, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var config = trigger.Pool.Settings.LambdaConfig;
        var (function, name, type) = channel == MessageChannel.Email
            ? (config?.CustomEmailSender, "CustomEmailSender", "customEmailSenderRequestV1")
            : (config?.CustomSmsSender, "CustomSMSSender", "customSMSSenderRequestV1");
        if (function is null)
        {
            return false;
        }

        var request = trigger.Inputs.WithClientMetadata(new JsonObject
        {
            ["type"] = type, ["code"] = code, ["userAttributes"] = LifecycleTriggers.UserAttributes(trigger.User),
        });
        var reply = await invoker.InvokeAsync(trigger.Pool, function.LambdaArn,
            new TriggerCall(name, name + "_" + trigger.Source, trigger.User.Username, trigger.ClientId, request, new JsonObject()), cancellationToken)
            .ConfigureAwait(false);
        return reply.IsSuccess ? true : reply.Error!;
    }

    /// <summary>The message as the pool's CustomMessage function words it; <paramref name="message"/> itself without one.</summary>
    public async Task<Result<UserPoolMessage>> CustomizeAsync(CodeMessageTrigger trigger, UserPoolMessage message, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(message);
        if (trigger.Pool.Settings.LambdaConfig?.CustomMessage is not { } arn)
        {
            return message;
        }

        // AdminCreateUser's invitation names the user and carries the temporary password: both placeholders (developer guide).
        var invitation = trigger.Source == CodeMessageTrigger.AdminCreateUser;
        var request = trigger.Inputs.WithClientMetadata(new JsonObject
        {
            ["userAttributes"] = LifecycleTriggers.UserAttributes(trigger.User), ["codeParameter"] = CodePlaceholder,
            ["linkParameter"] = LinkPlaceholder, ["usernameParameter"] = invitation ? UsernamePlaceholder : null,
        });
        var response = new JsonObject { ["smsMessage"] = null, ["emailMessage"] = null, ["emailSubject"] = null };
        var reply = await invoker.InvokeAsync(trigger.Pool, arn,
            new TriggerCall("CustomMessage", "CustomMessage_" + trigger.Source, trigger.User.Username, trigger.ClientId, request, response), cancellationToken)
            .ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply.Error!;
        }

        var email = message.Channel == MessageChannel.Email;
        var body = Text(reply.Value[email ? "emailMessage" : "smsMessage"]);
        // A text without the code placeholder would send no code (an invitation also needs the username): the pool's own text is kept instead.
        return body is null || !body.Contains(CodePlaceholder, StringComparison.Ordinal)
            || (invitation && !body.Contains(UsernamePlaceholder, StringComparison.Ordinal))
            ? message
            : UserPoolMessageComposer.Reword(message, email ? Text(reply.Value["emailSubject"]) ?? message.Subject : message.Subject, body, code);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
