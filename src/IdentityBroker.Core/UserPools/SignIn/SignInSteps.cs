using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Risk;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// "The password is proven — what next?", one place for every flow:
/// <list type="number">
/// <item><see cref="PasswordVerifiedAsync"/>: the user's status (<see cref="SignInRules"/>), then the checks on the clear
/// password when the flow carried one;</item>
/// <item><see cref="NextAsync"/>: NEW_PASSWORD_REQUIRED for a temporary password, then the MFA step, then tokens;</item>
/// <item><see cref="IssueTokensAsync"/>: a session and its tokens (<see cref="UserPoolSessions.StartAsync"/>).</item>
/// </list>
/// </summary>
public sealed class SignInSteps(
    SignInSessions sessions, GroupMembershipOperations groups, UserPoolSessions tokenSessions, CompromisedSignIn compromised, Mfa.MfaStep mfa,
    TimeProvider time, Triggers.LifecycleTriggers triggers, Triggers.TokenTriggers tokenTriggers, SignInAttempts attempts)
{
    /// <summary>
    /// Called once the password is proven. <paramref name="clearPassword"/> is the password of USER_PASSWORD_AUTH and
    /// ADMIN_USER_PASSWORD_AUTH, null after SRP (the broker never sees that password). The sign-in's compromised-password
    /// check belongs here, after the status and before <see cref="NextAsync"/>, so that it only ever runs for the right
    /// password of an active user.
    /// </summary>
    public async Task<Result<SignInOutcome>> PasswordVerifiedAsync(SignInContext context, string? clearPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (SignInRules.Refusal(context.User, time.GetUtcNow()) is { } refused)
        {
            return refused;
        }

        if (await compromised.CheckAsync(context, clearPassword, cancellationToken).ConfigureAwait(false) is { } blocked)
        {
            return blocked;
        }

        return await NextAsync(context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The next challenge, or tokens. A temporary password must be replaced first (NEW_PASSWORD_REQUIRED); MFA challenges
    /// come between that and the tokens.
    /// </summary>
    public async Task<Result<SignInOutcome>> NextAsync(SignInContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.UserStatus == UserStatuses.ForceChangePassword)
        {
            return await NewPasswordRequiredAsync(context, cancellationToken).ConfigureAwait(false);
        }

        // The MFA step (Mfa/MfaStep: SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, MFA_SETUP, SELECT_MFA_TYPE): a challenge instead of
        // tokens when the pool's MfaConfiguration and the user's settings ask for one; its answer ends in IssueTokensAsync.
        if (await mfa.ChallengeAsync(context, cancellationToken).ConfigureAwait(false) is { } challenge)
        {
            return challenge;
        }

        return await IssueTokensAsync(context, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<SignInOutcome>> IssueTokensAsync(SignInContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The post authentication and pre token generation triggers (Triggers/), in Cognito's order: the user is
        // authenticated, then the tokens are made. The hosted UI stops at the first: its tokens come from /oauth2/token.
        if (await triggers.PostAuthenticationAsync(context.Pool, context.Client.ClientId, context.User, cancellationToken, context.Inputs).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        // Authenticated: the failed attempts (wrong passwords, wrong MFA codes) start again at 0.
        var cleared = await attempts.ClearAsync(context.User, cancellationToken).ConfigureAwait(false);
        if (!cleared.IsSuccess)
        {
            return cleared.Error!;
        }

        context = context with { User = cleared.Value };
        if (context.Hosted)
        {
            return SignInOutcome.Authenticated(context.User);
        }

        var grant = await tokenTriggers.ApplyAsync(context.Pool, context.User, await GrantAsync(context.Client, context.User, cancellationToken)
            .ConfigureAwait(false), context.TokenSource, cancellationToken, context.Inputs).ConfigureAwait(false);
        return grant.IsSuccess
            ? SignInOutcome.SignedIn(await tokenSessions.StartAsync(grant.Value, cancellationToken).ConfigureAwait(false))
            : grant.Error!;
    }

    /// <summary>The pool's pre token generation trigger applied to <paramref name="grant"/> (refresh calls it with its own source).</summary>
    public Task<Result<TokenGrant>> CustomizeAsync(UserPool pool, PoolUser user, TokenGrant grant, string source, CancellationToken cancellationToken) =>
        tokenTriggers.ApplyAsync(pool, user, grant, source, cancellationToken);

    /// <summary>The token grant for <paramref name="user"/> now: attributes and group claims as they are (refresh too).</summary>
    public async Task<TokenGrant> GrantAsync(UserPoolClient client, PoolUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(user);
        var claims = await groups.ClaimsAsync(user, cancellationToken).ConfigureAwait(false);
        return new TokenGrant(client, user.Sub, user.Username, user.Attributes, claims, time.GetUtcNow());
    }

    /// <summary>
    /// NEW_PASSWORD_REQUIRED with Cognito's parameters: USER_ID_FOR_SRP, <c>userAttributes</c> (the user's attributes as a
    /// JSON object) and <c>requiredAttributes</c> (a JSON array of <c>userAttributes.&lt;name&gt;</c> for each required
    /// attribute of the schema the user has no value for), as amazon-cognito-identity-js's newPasswordRequired reads them.
    /// </summary>
    private async Task<Result<SignInOutcome>> NewPasswordRequiredAsync(SignInContext context, CancellationToken cancellationToken)
    {
        var user = context.User;
        var session = sessions.New(context.Client, user.Sub, user.Username, ChallengeNames.NewPasswordRequired);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SignInParameters.UserIdForSrp] = user.Username,
            ["requiredAttributes"] = JsonSerializer.Serialize(
                MissingRequired(context.Pool, user).Select(n => SignInParameters.AttributePrefix + n).ToArray(),
                SignInWireJsonContext.Default.StringArray),
            ["userAttributes"] = JsonSerializer.Serialize(
                new Dictionary<string, string>(user.Attributes, StringComparer.Ordinal), SignInWireJsonContext.Default.DictionaryStringString),
        };
        return SignInOutcome.Challenge(ChallengeNames.NewPasswordRequired, parameters,
            await sessions.SealAsync(session, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The required attributes of the pool's schema the user has no value for.</summary>
    public static IEnumerable<string> MissingRequired(UserPool pool, PoolUser user)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        return (pool.Schema ?? []).Where(a => a.Required && a.Name != StandardAttributes.Sub && user.Attribute(a.Name) is null).Select(a => a.Name);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SignInWireJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
