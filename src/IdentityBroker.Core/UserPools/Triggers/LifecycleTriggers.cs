using System.Text.Json.Nodes;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>PreSignUp's answer: what the function asked the broker to do for the new user.</summary>
public sealed record PreSignUpDecision(bool AutoConfirmUser, bool AutoVerifyEmail, bool AutoVerifyPhone)
{
    public static readonly PreSignUpDecision None = new(false, false, false);
}

/// <summary>
/// The sign-up and sign-in triggers: PreSignUp, PostConfirmation, PreAuthentication and PostAuthentication. Each is a
/// no-op (success) for a pool without the trigger. Event shapes: Cognito developer guide, the trigger's "parameters" and
/// example event.
/// </summary>
public sealed class LifecycleTriggers(TriggerInvoker invoker)
{
    public const string PreSignUpSignUp = "PreSignUp_SignUp";
    public const string PreSignUpAdminCreateUser = "PreSignUp_AdminCreateUser";

    /// <summary>A federated user's first sign-in, before the pool's user is made (developer guide, "Lambda triggers for federated users").</summary>
    public const string PreSignUpExternalProvider = "PreSignUp_ExternalProvider";
    public const string PostConfirmationConfirmSignUp = "PostConfirmation_ConfirmSignUp";
    public const string PostConfirmationConfirmForgotPassword = "PostConfirmation_ConfirmForgotPassword";
    public const string PreAuthenticationSource = "PreAuthentication_Authentication";

    /// <summary>PreSignUp: request userAttributes (as given, no sub yet), validationData and clientMetadata; response the auto-* flags.</summary>
    public async Task<Result<PreSignUpDecision>> PreSignUpAsync(UserPool pool, string? clientId, PoolUser user, string source, CancellationToken cancellationToken,
        TriggerInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        if (pool.Settings.LambdaConfig?.PreSignUp is not { } arn)
        {
            return PreSignUpDecision.None;
        }

        var given = inputs ?? TriggerInputs.None;
        var request = given.WithClientMetadata(new JsonObject
        {
            ["userAttributes"] = TriggerInvoker.Attributes(user.Attributes),
            ["validationData"] = given.ValidationDataJson(),
        });
        var response = new JsonObject { ["autoConfirmUser"] = false, ["autoVerifyPhone"] = false, ["autoVerifyEmail"] = false };
        var reply = await invoker.InvokeAsync(pool, arn, new TriggerCall("PreSignUp", source, user.Username, clientId, request, response), cancellationToken)
            .ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply.Error!;
        }

        var r = reply.Value;
        return new PreSignUpDecision(Flag(r, "autoConfirmUser"), Flag(r, "autoVerifyEmail"), Flag(r, "autoVerifyPhone"));
    }

    /// <summary>PostConfirmation: after ConfirmSignUp or ConfirmForgotPassword; an error from it fails the call, the change stays.</summary>
    public Task<AwsError?> PostConfirmationAsync(UserPool pool, string? clientId, PoolUser user, string source, CancellationToken cancellationToken,
        TriggerInputs? inputs = null) =>
        NotifyAsync(pool, pool.Settings.LambdaConfig?.PostConfirmation, "PostConfirmation", source, clientId, user.Username,
            (inputs ?? TriggerInputs.None).WithClientMetadata(new JsonObject { ["userAttributes"] = UserAttributes(user) }), cancellationToken);

    /// <summary>
    /// PreAuthentication: before the password is checked; its error refuses the sign-in. <paramref name="inputs"/>' validation
    /// data is InitiateAuth's ClientMetadata.
    /// </summary>
    public Task<AwsError?> PreAuthenticationAsync(UserPool pool, string clientId, PoolUser user, CancellationToken cancellationToken, TriggerInputs? inputs = null) =>
        NotifyAsync(pool, pool.Settings.LambdaConfig?.PreAuthentication, "PreAuthentication", PreAuthenticationSource, clientId, user.Username,
            new JsonObject
            {
                ["userAttributes"] = UserAttributes(user), ["validationData"] = (inputs ?? TriggerInputs.None).ValidationDataJson(), ["userNotFound"] = false,
            }, cancellationToken);

    /// <summary>
    /// PreAuthentication for a name the pool does not know, when the client hides which users exist
    /// (PreventUserExistenceErrors ENABLED): Cognito runs the function with <c>userNotFound</c> true and no attributes, so
    /// it can refuse alike. An error from it is the answer; otherwise the sign-in fails as for a wrong password.
    /// </summary>
    public Task<AwsError?> PreAuthenticationUnknownAsync(UserPool pool, string clientId, string username, CancellationToken cancellationToken,
        TriggerInputs? inputs = null) =>
        NotifyAsync(pool, pool.Settings.LambdaConfig?.PreAuthentication, "PreAuthentication", PreAuthenticationSource, clientId, username,
            new JsonObject
            {
                ["userAttributes"] = new JsonObject(), ["validationData"] = (inputs ?? TriggerInputs.None).ValidationDataJson(), ["userNotFound"] = true,
            }, cancellationToken);

    /// <summary>PostAuthentication: once the user is authenticated, before tokens; its error refuses the sign-in.</summary>
    public Task<AwsError?> PostAuthenticationAsync(UserPool pool, string clientId, PoolUser user, CancellationToken cancellationToken, TriggerInputs? inputs = null) =>
        NotifyAsync(pool, pool.Settings.LambdaConfig?.PostAuthentication, "PostAuthentication", "PostAuthentication_Authentication", clientId, user.Username,
            (inputs ?? TriggerInputs.None).WithClientMetadata(new JsonObject { ["userAttributes"] = UserAttributes(user), ["newDeviceUsed"] = false }),
            cancellationToken);

    /// <summary>The user's attributes as the events show them: sub, cognito:user_status, then the rest.</summary>
    public static JsonObject UserAttributes(PoolUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var map = new JsonObject { [StandardAttributes.Sub] = user.Sub, ["cognito:user_status"] = user.UserStatus };
        foreach (var (name, value) in user.Attributes)
        {
            map[name] = value;
        }

        return map;
    }

    private async Task<AwsError?> NotifyAsync(UserPool pool, string? arn, string trigger, string source, string? clientId, string username,
        JsonObject request, CancellationToken cancellationToken)
    {
        if (arn is null)
        {
            return null;
        }

        var reply = await invoker.InvokeAsync(pool, arn, new TriggerCall(trigger, source, username, clientId, request, new JsonObject()), cancellationToken)
            .ConfigureAwait(false);
        return reply.Error;
    }

    private static bool Flag(JsonObject response, string name) =>
        response[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}
