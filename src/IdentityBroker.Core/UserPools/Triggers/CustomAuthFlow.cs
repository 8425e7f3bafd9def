using System.Text.Json.Nodes;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>
/// AuthFlow CUSTOM_AUTH and its CUSTOM_CHALLENGE answers: DefineAuthChallenge decides (fail, tokens, or a challenge),
/// CreateAuthChallenge makes the challenge, VerifyAuthChallengeResponse judges each ANSWER, and the history goes round in
/// the sealed Session (with the private challenge parameters, which the client never sees). The session is used once.
/// </summary>
public sealed class CustomAuthFlow(UserLookup lookup, SignInSessions sessions, SignInSteps steps, CustomAuthTriggers triggers, LifecycleTriggers lifecycle,
    TimeProvider time)
{
    public const string Flow = "CUSTOM_AUTH";
    public const string Answer = "ANSWER";

    private const string HistoryKey = "customAuth.session";
    private const string PrivateKey = "customAuth.private";
    private const string MetadataKey = "customAuth.metadata";

    /// <summary>Cognito's answer when CUSTOM_AUTH is asked of a pool without the three functions.</summary>
    public static AwsError NotConfigured { get; } = UserPoolErrors.InvalidParameter("Custom auth lambda trigger is not configured for the user pool.");

    /// <param name="inputs">InitiateAuth's ClientMetadata: the pre authentication trigger's validation data only.</param>
    public async Task<Result<SignInOutcome>> StartAsync(UserPool pool, UserPoolClient client, string username, CancellationToken cancellationToken,
        TriggerInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        if (CustomAuthTriggers.Functions(pool) is null)
        {
            return NotConfigured;
        }

        if (await lookup.FindAsync(pool, username, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return SignInRules.UnknownUser(client);
        }

        var refused = SignInRules.Refusal(user, time.GetUtcNow())
            ?? await lifecycle.PreAuthenticationAsync(pool, client.ClientId, user, cancellationToken, inputs).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        return await NextAsync(new SignInContext(pool, client, user), [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A CUSTOM_CHALLENGE answer on an opened session of the user.</summary>
    public async Task<Result<SignInOutcome>> RespondAsync(SignInContext context, SignInSession session, string? answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(session);
        if (answer is null)
        {
            return SignInErrors.MissingParameter(Answer);
        }

        if (CustomAuthTriggers.Functions(context.Pool) is null || !await sessions.UseOnceAsync(session, cancellationToken).ConfigureAwait(false))
        {
            return SignInErrors.InvalidSession;
        }

        var data = session.Data ?? new Dictionary<string, string>();
        var history = JsonNode.Parse(data.GetValueOrDefault(HistoryKey) ?? "[]") as JsonArray ?? [];
        var privateParameters = JsonNode.Parse(data.GetValueOrDefault(PrivateKey) ?? "{}") as JsonObject ?? [];
        var verdict = await triggers.VerifyAsync(context.Pool, context.Client.ClientId, context.User, privateParameters, answer, cancellationToken, context.Inputs)
            .ConfigureAwait(false);
        if (!verdict.IsSuccess)
        {
            return verdict.Error!;
        }

        history.Add(new JsonObject
        {
            ["challengeName"] = CustomAuthTriggers.CustomChallenge,
            ["challengeResult"] = verdict.Value,
            ["challengeMetadata"] = data.GetValueOrDefault(MetadataKey),
        });
        return await NextAsync(context, history, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<SignInOutcome>> NextAsync(SignInContext context, JsonArray history, CancellationToken cancellationToken)
    {
        var (pool, client, user) = context;
        var decision = await triggers.DefineAsync(pool, client.ClientId, user, history, cancellationToken, context.Inputs).ConfigureAwait(false);
        if (!decision.IsSuccess)
        {
            return decision.Error!;
        }

        if (decision.Value.FailAuthentication)
        {
            return UserPoolErrors.IncorrectUsernameOrPassword;
        }

        if (decision.Value.IssueTokens)
        {
            return await steps.IssueTokensAsync(context, cancellationToken).ConfigureAwait(false);
        }

        // Only CUSTOM_CHALLENGE is run here; a define function asking for SRP_A or PASSWORD_VERIFIER inside the custom flow
        // gets Cognito's answer to a reply it cannot use.
        if (decision.Value.ChallengeName != CustomAuthTriggers.CustomChallenge)
        {
            return TriggerErrors.Unrecognizable;
        }

        var created = await triggers.CreateAsync(pool, client.ClientId, user, CustomAuthTriggers.CustomChallenge, history, cancellationToken, context.Inputs)
            .ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return created.Error!;
        }

        return await ChallengeAsync(context, history, created.Value, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<SignInOutcome>> ChallengeAsync(SignInContext context, JsonArray history, CreatedChallenge challenge, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [HistoryKey] = history.ToJsonString(),
            [PrivateKey] = challenge.PrivateParameters.ToJsonString(),
        };
        if (challenge.Metadata is { } metadata)
        {
            data[MetadataKey] = metadata;
        }

        var session = sessions.New(context.Client, context.User.Sub, context.User.Username, CustomAuthTriggers.CustomChallenge)
            with { Data = data };
        await sessions.MarkAsync(session, cancellationToken).ConfigureAwait(false);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in challenge.PublicParameters)
        {
            parameters[name] = value!.GetValue<string>();
        }

        parameters[SignInParameters.Username] = context.User.Username;
        return SignInOutcome.Challenge(CustomAuthTriggers.CustomChallenge, parameters, await sessions.SealAsync(session, cancellationToken).ConfigureAwait(false));
    }
}
