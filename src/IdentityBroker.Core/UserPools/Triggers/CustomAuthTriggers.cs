using System.Text.Json.Nodes;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>DefineAuthChallenge's decision.</summary>
public sealed record ChallengeDecision(string? ChallengeName, bool IssueTokens, bool FailAuthentication);

/// <summary>CreateAuthChallenge's challenge: what the client sees, what only the verifier sees, and a label for the history.</summary>
public sealed record CreatedChallenge(JsonObject PublicParameters, JsonObject PrivateParameters, string? Metadata);

/// <summary>
/// The three custom authentication triggers (Cognito developer guide, "Custom authentication challenge Lambda
/// triggers"). <c>session</c> is the history: one <c>{challengeName, challengeResult, challengeMetadata}</c> per answered
/// challenge, oldest first. For a name that matches no user (PreventUserExistenceErrors ENABLED) the flow runs on
/// <see cref="CustomAuthFlow.UnknownUser"/>: the events say <c>userNotFound</c> true, with no attributes.
/// </summary>
public sealed class CustomAuthTriggers(TriggerInvoker invoker)
{
    public const string CustomChallenge = "CUSTOM_CHALLENGE";

    /// <summary>The three functions of a pool that can run CUSTOM_AUTH; null when one is missing.</summary>
    public static (string Define, string Create, string Verify)? Functions(UserPool pool) =>
        pool?.Settings.LambdaConfig is { DefineAuthChallenge: { } d, CreateAuthChallenge: { } c, VerifyAuthChallengeResponse: { } v } ? (d, c, v) : null;

    /// <param name="inputs">RespondToAuthChallenge's ClientMetadata; InitiateAuth passes none to these three (its API reference).</param>
    public async Task<Result<ChallengeDecision>> DefineAsync(UserPool pool, string clientId, PoolUser user, JsonArray history, CancellationToken cancellationToken,
        TriggerInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var request = (inputs ?? TriggerInputs.None).WithClientMetadata(new JsonObject
        {
            ["userAttributes"] = Attributes(user), ["userNotFound"] = NotFound(user), ["session"] = history.DeepClone(),
        });
        var response = new JsonObject { ["challengeName"] = null, ["issueTokens"] = false, ["failAuthentication"] = false };
        var reply = await invoker.InvokeAsync(pool, Functions(pool)!.Value.Define,
            new TriggerCall("DefineAuthChallenge", "DefineAuthChallenge_Authentication", user.Username, clientId, request, response), cancellationToken)
            .ConfigureAwait(false);
        return reply.IsSuccess
            ? new ChallengeDecision(Text(reply.Value["challengeName"]), Flag(reply.Value["issueTokens"]), Flag(reply.Value["failAuthentication"]))
            : reply.Error!;
    }

    public async Task<Result<CreatedChallenge>> CreateAsync(UserPool pool, string clientId, PoolUser user, string challengeName, JsonArray history,
        CancellationToken cancellationToken, TriggerInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var request = (inputs ?? TriggerInputs.None).WithClientMetadata(new JsonObject
        {
            ["userAttributes"] = Attributes(user), ["userNotFound"] = NotFound(user), ["challengeName"] = challengeName,
            ["session"] = history.DeepClone(),
        });
        var response = new JsonObject { ["publicChallengeParameters"] = null, ["privateChallengeParameters"] = null, ["challengeMetadata"] = null };
        var reply = await invoker.InvokeAsync(pool, Functions(pool)!.Value.Create,
            new TriggerCall("CreateAuthChallenge", "CreateAuthChallenge_Authentication", user.Username, clientId, request, response), cancellationToken)
            .ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply.Error!;
        }

        var r = reply.Value;
        return r["publicChallengeParameters"] is not (null or JsonObject) || r["privateChallengeParameters"] is not (null or JsonObject)
            ? TriggerErrors.Unrecognizable
            : new CreatedChallenge(Map(r["publicChallengeParameters"]), Map(r["privateChallengeParameters"]), Text(r["challengeMetadata"]));
    }

    public async Task<Result<bool>> VerifyAsync(UserPool pool, string clientId, PoolUser user, JsonObject privateParameters, string answer,
        CancellationToken cancellationToken, TriggerInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var request = (inputs ?? TriggerInputs.None).WithClientMetadata(new JsonObject
        {
            ["userAttributes"] = Attributes(user), ["privateChallengeParameters"] = privateParameters.DeepClone(),
            ["challengeAnswer"] = answer, ["userNotFound"] = NotFound(user),
        });
        var reply = await invoker.InvokeAsync(pool, Functions(pool)!.Value.Verify,
            new TriggerCall("VerifyAuthChallengeResponse", "VerifyAuthChallengeResponse_Authentication", user.Username, clientId, request,
                new JsonObject { ["answerCorrect"] = false }), cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess ? Flag(reply.Value["answerCorrect"]) : reply.Error!;
    }

    /// <summary>Challenge parameters are string to string on the wire (ChallengeParametersType); other values are written as JSON.</summary>
    private static JsonObject Map(JsonNode? node)
    {
        var map = new JsonObject();
        foreach (var (name, value) in node as JsonObject ?? [])
        {
            map[name] = Text(value) ?? value?.ToJsonString() ?? string.Empty;
        }

        return map;
    }

    private static bool NotFound(PoolUser user) => CustomAuthFlow.IsUnknownUser(user);

    private static JsonObject Attributes(PoolUser user) => NotFound(user) ? [] : LifecycleTriggers.UserAttributes(user);

    private static bool Flag(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
