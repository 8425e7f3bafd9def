using System.Text.Json.Nodes;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Srp;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>
/// AuthFlow CUSTOM_AUTH and its answers (Cognito developer guide, "Custom authentication challenge Lambda triggers"):
/// DefineAuthChallenge decides (fail, tokens, or a challenge), CreateAuthChallenge makes a CUSTOM_CHALLENGE,
/// VerifyAuthChallengeResponse judges each ANSWER, and the history goes round in the sealed Session (with the private
/// challenge parameters, which the client never sees). Each session is used once.
/// <para>
/// SRP inside the flow: an InitiateAuth with <c>SRP_A</c> starts the history with <c>{SRP_A, true}</c>; a define reply
/// of PASSWORD_VERIFIER is then answered with USER_SRP_AUTH's challenge, and the proof's verdict joins the history as
/// <c>{PASSWORD_VERIFIER, true|false}</c> (a wrong one counts as a wrong password) before define is asked again.
/// </para>
/// <para>
/// A name that matches no user, for a client with PreventUserExistenceErrors ENABLED, runs the same flow on
/// <see cref="UnknownUser"/> (the events say <c>userNotFound</c> true) and always ends as a wrong answer does.
/// </para>
/// </summary>
public sealed class CustomAuthFlow(UserLookup lookup, SignInSessions sessions, SignInSteps steps, CustomAuthTriggers triggers, LifecycleTriggers lifecycle,
    SrpSignIn srp, UnknownUsers unknown, TimeProvider time)
{
    public const string Flow = "CUSTOM_AUTH";
    public const string Answer = "ANSWER";

    /// <summary>The history entry of the SRP_A an InitiateAuth carried (the developer guide's define example tests it).</summary>
    public const string SrpA = "SRP_A";

    private const string HistoryKey = "customAuth.session";
    private const string PrivateKey = "customAuth.private";
    private const string MetadataKey = "customAuth.metadata";

    /// <summary>Cognito's answer when CUSTOM_AUTH is asked of a pool without the three functions.</summary>
    public static AwsError NotConfigured { get; } = UserPoolErrors.InvalidParameter("Custom auth lambda trigger is not configured for the user pool.");

    /// <summary>The stand-in for a name that matches no user: no sub (as <see cref="SignInSession.IsUnknownUser"/>), no attributes.</summary>
    public static PoolUser UnknownUser(string userPoolId, string name) => new()
    {
        UserPoolId = userPoolId, Username = name, Sub = string.Empty, UserStatus = UserStatuses.Confirmed,
        CreationDate = default, LastModifiedDate = default,
    };

    public static bool IsUnknownUser(PoolUser user) => user?.Sub.Length == 0;

    /// <summary>True for a PASSWORD_VERIFIER session issued inside this flow (its answer goes back to DefineAuthChallenge).</summary>
    public static bool IsCustomSession(SignInSession session) => session?.Data?.ContainsKey(HistoryKey) == true;

    /// <param name="srpA">The InitiateAuth's SRP_A, when the client does SRP inside the custom flow; else null.</param>
    /// <param name="inputs">InitiateAuth's ClientMetadata: the pre authentication trigger's validation data only.</param>
    public async Task<Result<SignInOutcome>> StartAsync(UserPool pool, UserPoolClient client, string username, string? srpA, CancellationToken cancellationToken,
        TriggerInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        if (CustomAuthTriggers.Functions(pool) is null)
        {
            return NotConfigured;
        }

        var user = await lookup.FindAsync(pool, username, cancellationToken).ConfigureAwait(false);
        if (user is null && !SignInRules.HidesUnknownUsers(client))
        {
            return SignInRules.UnknownUser(client);
        }

        var refused = user is null
            ? await lifecycle.PreAuthenticationUnknownAsync(pool, client.ClientId, username, cancellationToken, inputs).ConfigureAwait(false)
            : SignInRules.Refusal(user, time.GetUtcNow())
                ?? await lifecycle.PreAuthenticationAsync(pool, client.ClientId, user, cancellationToken, inputs).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        // The name an unknown user is shown by is the one USER_SRP_AUTH would show (derived for an email or phone pool).
        user ??= UnknownUser(pool.Id, await unknown.UserIdAsync(pool, username, cancellationToken).ConfigureAwait(false));
        JsonArray history = srpA is null ? [] : [Entry(SrpA, true, null)];
        return await NextAsync(new SignInContext(pool, client, user), history, srpA, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A CUSTOM_CHALLENGE answer on an opened session of the user (or of the unknown name).</summary>
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
        var history = History(data);
        var privateParameters = JsonNode.Parse(data.GetValueOrDefault(PrivateKey) ?? "{}") as JsonObject ?? [];
        var verdict = await triggers.VerifyAsync(context.Pool, context.Client.ClientId, context.User, privateParameters, answer, cancellationToken, context.Inputs)
            .ConfigureAwait(false);
        if (!verdict.IsSuccess)
        {
            return verdict.Error!;
        }

        history.Add(Entry(CustomAuthTriggers.CustomChallenge, verdict.Value, data.GetValueOrDefault(MetadataKey)));
        return await NextAsync(context, history, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The PASSWORD_VERIFIER answer of a session this flow issued: the proof's verdict joins the history.</summary>
    public async Task<Result<SignInOutcome>> RespondPasswordAsync(UserPool pool, UserPoolClient client, SignInSession session, PasswordClaim claim,
        TriggerInputs inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(session);
        if (CustomAuthTriggers.Functions(pool) is null)
        {
            return SignInErrors.InvalidSession;
        }

        var proof = await srp.CheckProofAsync(pool, session, claim, cancellationToken).ConfigureAwait(false);
        if (!proof.IsSuccess)
        {
            return proof.Error!;
        }

        var history = History(session.Data!);
        history.Add(Entry(ChallengeNames.PasswordVerifier, proof.Value.Correct, null));
        var user = proof.Value.User ?? UnknownUser(pool.Id, session.Username);
        return await NextAsync(new SignInContext(pool, client, user) { Inputs = inputs }, history, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<SignInOutcome>> NextAsync(SignInContext context, JsonArray history, string? srpA, CancellationToken cancellationToken)
    {
        var (pool, client, user) = context;
        var decision = await triggers.DefineAsync(pool, client.ClientId, user, history, cancellationToken, context.Inputs).ConfigureAwait(false);
        if (!decision.IsSuccess)
        {
            return decision.Error!;
        }

        // An unknown name never gets tokens, whatever the function says: it fails as a wrong answer does.
        if (decision.Value.FailAuthentication || (decision.Value.IssueTokens && IsUnknownUser(user)))
        {
            return UserPoolErrors.IncorrectUsernameOrPassword;
        }

        if (decision.Value.IssueTokens)
        {
            return await steps.IssueTokensAsync(context, cancellationToken).ConfigureAwait(false);
        }

        // PASSWORD_VERIFIER only right after the SRP_A of the InitiateAuth (the SRP exchange needs the client's A); any
        // other name but CUSTOM_CHALLENGE is a reply Cognito cannot use.
        if (decision.Value.ChallengeName == ChallengeNames.PasswordVerifier && srpA is not null)
        {
            var data = new Dictionary<string, string>(StringComparer.Ordinal) { [HistoryKey] = history.ToJsonString() };
            return await srp.ChallengeAsync(pool, client, IsUnknownUser(user) ? null : user, user.Username, srpA, data, cancellationToken).ConfigureAwait(false);
        }

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

    private static JsonArray History(IReadOnlyDictionary<string, string> data) =>
        JsonNode.Parse(data.GetValueOrDefault(HistoryKey) ?? "[]") as JsonArray ?? [];

    private static JsonObject Entry(string challengeName, bool result, string? metadata) => new()
    {
        ["challengeName"] = challengeName, ["challengeResult"] = result, ["challengeMetadata"] = metadata,
    };
}
