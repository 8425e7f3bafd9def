using System.Text.Json.Nodes;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>One trigger call as the flows ask for it: who, which source, the request and the response to fill.</summary>
/// <param name="Trigger">The LambdaConfig member's name (PreSignUp, …): the word Cognito's error messages use.</param>
/// <param name="TriggerSource">The event's <c>triggerSource</c> (PreSignUp_SignUp, TokenGeneration_Authentication, …).</param>
/// <param name="ClientId">The app client, or null for the admin operations (Cognito: CLIENT_ID_NOT_APPLICABLE).</param>
public sealed record TriggerCall(string Trigger, string TriggerSource, string UserName, string? ClientId, JsonObject Request, JsonObject Response)
{
    /// <summary>The event's <c>version</c>: "1" for every trigger but pre token generation V2_0/V3_0 ("2"/"3").</summary>
    public string Version { get; init; } = "1";
}

/// <summary>
/// Builds Cognito's trigger event (version, triggerSource, region, userPoolId, userName, callerContext, request,
/// response), calls the function and reads back the event's <c>response</c>; each failure becomes Cognito's error.
/// </summary>
public sealed class TriggerInvoker(ITriggerFunctions functions)
{
    /// <summary>The broker is not an AWS SDK; Cognito sends this value when it cannot tell the caller's SDK.</summary>
    public const string UnknownSdk = "aws-sdk-unknown-unknown";

    public const string NoClient = "CLIENT_ID_NOT_APPLICABLE";

    /// <summary>The returned event's <c>response</c>.</summary>
    public async Task<Result<JsonObject>> InvokeAsync(UserPool pool, string functionArn, TriggerCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(call);
        var body = System.Text.Encoding.UTF8.GetBytes(Event(pool, call).ToJsonString());
        var outcome = await functions.InvokeAsync(functionArn, body, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            FunctionOutcome.Replied { Event: var reply } => reply["response"] is JsonObject response
                ? Result<JsonObject>.Ok(response)
                : TriggerErrors.Unrecognizable,
            FunctionOutcome.FunctionError { Message: var message } => TriggerErrors.Failed(call.Trigger, message),
            FunctionOutcome.TimedOut => TriggerErrors.Timeout(call.Trigger),
            FunctionOutcome.NotInvoked { Reason: var reason } => TriggerErrors.InvocationFailed(call.Trigger, reason),
            _ => TriggerErrors.Unrecognizable,
        };
    }

    /// <summary>The event, members in the order of the developer guide's examples.</summary>
    public static JsonObject Event(UserPool pool, TriggerCall call)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(call);
        return new JsonObject
        {
            ["version"] = call.Version,
            ["triggerSource"] = call.TriggerSource,
            ["region"] = pool.Id[..pool.Id.IndexOf('_', StringComparison.Ordinal)],
            ["userPoolId"] = pool.Id,
            ["userName"] = call.UserName,
            ["callerContext"] = new JsonObject { ["awsSdkVersion"] = UnknownSdk, ["clientId"] = call.ClientId ?? NoClient },
            ["request"] = call.Request,
            ["response"] = call.Response,
        };
    }

    /// <summary>A user's attributes as the events carry them: a map of name to string value, <c>sub</c> included.</summary>
    public static JsonObject Attributes(IEnumerable<KeyValuePair<string, string>> attributes)
    {
        var map = new JsonObject();
        foreach (var (name, value) in attributes)
        {
            map[name] = value;
        }

        return map;
    }
}
