using System.Text.Json.Nodes;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Messages;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>
/// The user migration trigger: a name the pool does not know is asked of the function (UserMigration_Authentication with
/// the password the user typed, UserMigration_ForgotPassword without one). Its <c>userAttributes</c> create the user,
/// with <c>finalUserStatus</c> CONFIRMED (the default) or RESET_REQUIRED; the typed password becomes the user's. A reply
/// without attributes means "no such user there either". As the developer guide's "Migrate user Lambda trigger" says, the
/// new user gets the welcome message unless <c>messageAction</c> is SUPPRESS, by <c>desiredDeliveryMediums</c> (SMS when
/// not returned), and <c>enableSMSMFA</c> turns SMS MFA on for the user (who must then have a phone number).
/// </summary>
public sealed class UserMigration(TriggerInvoker invoker, UserOperations users, UserPasswords passwords, UserWrites writes, IUserPoolMessageSender messages)
{
    private const string DefaultMedium = "SMS";

    public const string Authentication = "UserMigration_Authentication";
    public const string ForgotPassword = "UserMigration_ForgotPassword";

    public static bool Configured(UserPool pool) => pool?.Settings.LambdaConfig?.UserMigration is not null;

    /// <summary>The migrated user, stored; null when the function does not know the name either.</summary>
    /// <param name="inputs">
    /// Sign-in: InitiateAuth's ClientMetadata as <c>validationData</c>; forgot password: ForgotPassword's as <c>clientMetadata</c>.
    /// </param>
    public async Task<Result<PoolUser?>> MigrateAsync(UserPool pool, UserPoolClient client, string username, string? password, CancellationToken cancellationToken,
        TriggerInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        if (pool.Settings.LambdaConfig?.UserMigration is not { } arn)
        {
            return Result<PoolUser?>.Ok(null);
        }

        var given = inputs ?? TriggerInputs.None;
        var request = given.WithClientMetadata(new JsonObject { ["password"] = password, ["validationData"] = given.ValidationDataJson() });
        if (password is null)
        {
            request.Remove("password");
        }

        var response = new JsonObject
        {
            ["userAttributes"] = null, ["finalUserStatus"] = null, ["messageAction"] = null, ["desiredDeliveryMediums"] = null,
            ["forceAliasCreation"] = null, ["enableSMSMFA"] = null,
        };
        var source = password is null ? ForgotPassword : Authentication;
        var reply = await invoker.InvokeAsync(pool, arn, new TriggerCall("UserMigration", source, username, client.ClientId, request, response), cancellationToken)
            .ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply.Error!;
        }

        if (reply.Value["userAttributes"] is not JsonObject attributes)
        {
            return Result<PoolUser?>.Ok(null);
        }

        if (!MessageMembersValid(reply.Value))
        {
            return TriggerErrors.Unrecognizable;
        }

        return await CreateAsync(pool, username, password, attributes, reply.Value, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<PoolUser?>> CreateAsync(UserPool pool, string username, string? password, JsonObject attributes, JsonObject reply,
        CancellationToken cancellationToken)
    {
        var given = attributes.Where(a => a.Key != StandardAttributes.Sub && a.Value is JsonValue)
            .Select(a => new UserAttribute(a.Key, Text(a.Value) ?? a.Value!.ToJsonString())).ToList();
        var status = Text(reply["finalUserStatus"]) == UserStatuses.ResetRequired || password is null
            ? UserStatuses.ResetRequired
            : UserStatuses.Confirmed;
        var created = users.NewUser(pool, username, given, status);
        if (created.IsSuccess && password is not null)
        {
            created = passwords.Set(pool, created.Value, password, temporary: false);
        }

        if (!created.IsSuccess)
        {
            return created.Error!;
        }

        var user = created.Value;
        if (Flag(reply["enableSMSMFA"]))
        {
            // The guide: the user's attributes must include a phone number, "or else the migration of that user will fail".
            if (user.Attribute(StandardAttributes.PhoneNumber) is null)
            {
                return TriggerErrors.Unrecognizable;
            }

            user = user with { Mfa = user.Mfa with { SmsEnabled = true } };
        }

        var stored = await writes.CreateAsync(pool, user, Flag(reply["forceAliasCreation"]), cancellationToken).ConfigureAwait(false);
        if (!stored.IsSuccess)
        {
            return stored.Error!;
        }

        // As AdminCreateUser, a delivery failure is answered after the user is created (CodeDeliveryFailureException).
        var welcomed = Text(reply["messageAction"]) == "SUPPRESS"
            ? null
            : await WelcomeAsync(pool, stored.Value, reply["desiredDeliveryMediums"] as JsonArray, cancellationToken).ConfigureAwait(false);
        return welcomed is null ? stored.Value : welcomed;
    }

    /// <summary>
    /// The welcome message: the pool's invitation text (AdminCreateUserConfig's InviteMessageTemplate, which the API
    /// reference calls "the welcome message to new users") through each medium the user has an address for. A migrated
    /// user has no temporary password, and the one they typed is never sent back: the template's <c>{####}</c> is left empty.
    /// </summary>
    private async Task<AwsError?> WelcomeAsync(UserPool pool, PoolUser user, JsonArray? desired, CancellationToken cancellationToken)
    {
        var mediums = desired is { Count: > 0 } ? desired.Select(Text).OfType<string>().Distinct(StringComparer.Ordinal) : [DefaultMedium];
        foreach (var medium in mediums)
        {
            var (channel, attribute) = medium == "EMAIL"
                ? (MessageChannel.Email, StandardAttributes.Email)
                : (MessageChannel.Sms, StandardAttributes.PhoneNumber);
            if (user.Attribute(attribute) is not { } destination)
            {
                continue;
            }

            var message = UserPoolMessageComposer.Invitation(pool.Settings.Messages ?? MessageTemplates.Default, user.UserPoolId, user.Username, channel,
                destination, temporaryPassword: string.Empty);
            var sent = await messages.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (!sent.IsSuccess)
            {
                return sent.Error;
            }
        }

        return null;
    }

    private static bool Flag(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    /// <summary>
    /// messageAction (MessageActionType: RESEND or SUPPRESS) and desiredDeliveryMediums (EMAIL, SMS) as AdminCreateUser takes
    /// them; another value is output Cognito cannot use.
    /// </summary>
    private static bool MessageMembersValid(JsonObject reply)
    {
        var action = reply["messageAction"];
        var actionValid = action is null || Text(action) is "RESEND" or "SUPPRESS";
        var mediums = reply["desiredDeliveryMediums"];
        return actionValid && (mediums is null || (mediums is JsonArray list && list.All(m => Text(m) is "EMAIL" or "SMS")));
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
