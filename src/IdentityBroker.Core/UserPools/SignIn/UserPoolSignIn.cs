using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Srp;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>InitiateAuth (UserPoolId null) and AdminInitiateAuth once validated.</summary>
public sealed record InitiateAuthCommand(string? UserPoolId, string ClientId, string AuthFlow, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The request's ClientMetadata: validation data of the pre authentication and user migration triggers.</summary>
    public IReadOnlyDictionary<string, string>? ClientMetadata { get; init; }

    public override string ToString() => $"InitiateAuthCommand {{ ClientId = {ClientId}, AuthFlow = {AuthFlow} }}";
}

/// <summary>RespondToAuthChallenge (UserPoolId null) and AdminRespondToAuthChallenge once validated.</summary>
public sealed record RespondToAuthChallengeCommand(
    string? UserPoolId, string ClientId, string ChallengeName, string? Session, IReadOnlyDictionary<string, string> Responses)
{
    /// <summary>The request's ClientMetadata: <c>clientMetadata</c> of the triggers the answer runs.</summary>
    public IReadOnlyDictionary<string, string>? ClientMetadata { get; init; }

    public override string ToString() => $"RespondToAuthChallengeCommand {{ ClientId = {ClientId}, ChallengeName = {ChallengeName} }}";
}

public sealed record GetTokensFromRefreshTokenCommand(string RefreshToken, string ClientId, string? ClientSecret)
{
    public override string ToString() => $"GetTokensFromRefreshTokenCommand {{ ClientId = {ClientId} }}";
}

public sealed record AdminUserGlobalSignOutCommand(string UserPoolId, string Username);

/// <summary>
/// The sign-in operations (docs/user-pools.md, "Sign-in"). Each reads top-down: the app client (ResourceNotFoundException)
/// → the flow and the client's ExplicitAuthFlows → SECRET_HASH → the flow itself (<see cref="PasswordSignIn"/>,
/// <see cref="SrpSignIn"/>, <see cref="RefreshSignIn"/>, <see cref="NewPasswordChallenge"/>), all ending in
/// <see cref="SignInSteps"/>.
/// </summary>
public sealed class UserPoolSignIn(
    IUserPoolStore pools,
    UserWrites writes,
    SignInSessions sessions,
    PasswordSignIn password,
    SrpSignIn srp,
    RefreshSignIn refresh,
    NewPasswordChallenge newPassword,
    UserPoolSessions tokenSessions,
    Mfa.MfaChallengeAnswers mfa,
    Triggers.CustomAuthFlow custom)
{
    public async Task<Result<SignInOutcome>> InitiateAsync(InitiateAuthCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var flow = AuthFlows.Resolve(command.AuthFlow, admin: command.UserPoolId is not null);
        var found = await ClientAsync(command.UserPoolId, command.ClientId, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess || !flow.IsSuccess)
        {
            return found.Error ?? flow.Error!;
        }

        var (pool, client) = found.Value;
        if (AuthFlows.Check(client, flow.Value) is { } notEnabled)
        {
            return notEnabled;
        }

        var p = command.Parameters;
        var inputs = Triggers.TriggerInputs.SignInStart(command.ClientMetadata);
        if (flow.Value == AuthFlows.RefreshTokenAuth)
        {
            return Parameter(p, SignInParameters.RefreshToken) is { } token
                ? await refresh.InitiateAsync(client, token, p.GetValueOrDefault(SignInParameters.Username),
                    p.GetValueOrDefault(SignInParameters.SecretHash), cancellationToken).ConfigureAwait(false)
                : SignInErrors.MissingParameter(SignInParameters.RefreshToken);
        }

        if (Parameter(p, SignInParameters.Username) is not { } username)
        {
            return SignInErrors.MissingParameter(SignInParameters.Username);
        }

        if (SecretHash.Check(client, username, p.GetValueOrDefault(SignInParameters.SecretHash)) is { } badHash)
        {
            return badHash;
        }

        if (flow.Value == AuthFlows.CustomAuth)
        {
            return await custom.StartAsync(pool, client, username, Parameter(p, SignInParameters.SrpA), cancellationToken, inputs).ConfigureAwait(false);
        }

        if (flow.Value == AuthFlows.UserSrp)
        {
            return Parameter(p, SignInParameters.SrpA) is { } srpA
                ? await srp.StartAsync(pool, client, username, srpA, cancellationToken, inputs).ConfigureAwait(false)
                : SignInErrors.MissingParameter(SignInParameters.SrpA);
        }

        return Parameter(p, SignInParameters.Password) is { } clear
            ? await password.SignInAsync(pool, client, username, clear, cancellationToken, inputs).ConfigureAwait(false)
            : SignInErrors.MissingParameter(SignInParameters.Password);
    }

    public async Task<Result<SignInOutcome>> RespondAsync(RespondToAuthChallengeCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.ChallengeName is not (ChallengeNames.PasswordVerifier or ChallengeNames.NewPasswordRequired or Triggers.CustomAuthTriggers.CustomChallenge)
            && !Mfa.MfaChallengeNames.IsMfa(command.ChallengeName))
        {
            return SignInErrors.ChallengeNotSupported(command.ChallengeName);
        }

        var found = await ClientAsync(command.UserPoolId, command.ClientId, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (pool, client) = found.Value;
        var r = command.Responses;
        if (Parameter(r, SignInParameters.Username) is not { } username)
        {
            return SignInErrors.MissingParameter(SignInParameters.Username);
        }

        if (SecretHash.Check(client, username, r.GetValueOrDefault(SignInParameters.SecretHash)) is { } badHash)
        {
            return badHash;
        }

        var opened = await sessions.OpenAsync(command.Session, client.ClientId, command.ChallengeName, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess || opened.Value.UserPoolId != pool.Id || !await NamesSessionUserAsync(pool, opened.Value, username, cancellationToken).ConfigureAwait(false))
        {
            return SignInErrors.InvalidSession;
        }

        var session = opened.Value;
        var inputs = new Triggers.TriggerInputs(command.ClientMetadata);
        if (command.ChallengeName == ChallengeNames.PasswordVerifier)
        {
            var claim = new PasswordClaim(r.GetValueOrDefault("PASSWORD_CLAIM_SECRET_BLOCK"), r.GetValueOrDefault("TIMESTAMP"),
                r.GetValueOrDefault("PASSWORD_CLAIM_SIGNATURE"));
            return Triggers.CustomAuthFlow.IsCustomSession(session)
                ? await custom.RespondPasswordAsync(pool, client, session, claim, inputs, cancellationToken).ConfigureAwait(false)
                : await srp.VerifyAsync(pool, client, session, claim, cancellationToken, inputs).ConfigureAwait(false);
        }

        // A custom challenge of a name that matches no user (PreventUserExistenceErrors ENABLED): the flow runs to its failure.
        if (session.IsUnknownUser && command.ChallengeName == Triggers.CustomAuthTriggers.CustomChallenge)
        {
            var unknownUser = Triggers.CustomAuthFlow.UnknownUser(pool.Id, session.Username);
            return await custom.RespondAsync(new SignInContext(pool, client, unknownUser) { Inputs = inputs }, session,
                r.GetValueOrDefault(Triggers.CustomAuthFlow.Answer), cancellationToken).ConfigureAwait(false);
        }

        var (_, user) = await writes.FindAsync(pool.Id, session.Sub, cancellationToken).ConfigureAwait(false);
        if (user.IsSuccess && user.Value.Sub == session.Sub && command.ChallengeName == Triggers.CustomAuthTriggers.CustomChallenge)
        {
            return await custom.RespondAsync(new SignInContext(pool, client, user.Value) { Inputs = inputs }, session, r.GetValueOrDefault(Triggers.CustomAuthFlow.Answer),
                cancellationToken).ConfigureAwait(false);
        }

        if (user.IsSuccess && user.Value.Sub == session.Sub && Mfa.MfaChallengeNames.IsMfa(command.ChallengeName))
        {
            return await mfa.RespondAsync(new SignInContext(pool, client, user.Value) { Inputs = inputs }, session, r, cancellationToken).ConfigureAwait(false);
        }

        return user.IsSuccess && user.Value.Sub == session.Sub
            ? await newPassword.RespondAsync(new SignInContext(pool, client, user.Value) { Inputs = inputs }, session, r, cancellationToken).ConfigureAwait(false)
            : SignInErrors.InvalidSession;
    }

    public async Task<Result<SignInOutcome>> GetTokensFromRefreshTokenAsync(GetTokensFromRefreshTokenCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var found = await ClientAsync(null, command.ClientId, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        // A rotating client renews only here, and Cognito's guide has such a client leave REFRESH_TOKEN_AUTH out ("Refresh
        // token rotation isn't compatible with the authentication flow REFRESH_TOKEN_AUTH", quoted in
        // aws-amplify/amplify-android#3113), so the flow is not asked of it.
        var client = found.Value.Client;
        var rotating = client.Settings.RefreshTokenRotation is { IsEnabled: true };
        return !rotating && AuthFlows.Check(client, AuthFlows.RefreshTokenAuth) is { } notEnabled
            ? notEnabled
            : await refresh.GetTokensAsync(client, command.RefreshToken, command.ClientSecret, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>AdminUserGlobalSignOut: every session of the user is revoked, so all of their tokens stop working.</summary>
    public async Task<Result<Unit>> AdminUserGlobalSignOutAsync(AdminUserGlobalSignOutCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (_, user) = await writes.FindAsync(command.UserPoolId, command.Username, cancellationToken).ConfigureAwait(false);
        if (!user.IsSuccess)
        {
            return user.Error!;
        }

        await tokenSessions.SignOutUserAsync(command.UserPoolId, user.Value.Sub, cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }

    /// <summary>The challenge's USERNAME must name the session's user: its USER_ID_FOR_SRP, or a name that finds that user.</summary>
    private async Task<bool> NamesSessionUserAsync(UserPool pool, SignInSession session, string username, CancellationToken cancellationToken)
    {
        if (username == session.Username)
        {
            return true;
        }

        var (_, user) = await writes.FindAsync(pool.Id, username, cancellationToken).ConfigureAwait(false);
        return !session.IsUnknownUser && user.IsSuccess && user.Value.Sub == session.Sub;
    }

    /// <summary>The admin operations name the pool; the public ones only the client, found in whichever pool holds it.</summary>
    private async Task<Result<(UserPool Pool, UserPoolClient Client)>> ClientAsync(string? userPoolId, string clientId, CancellationToken cancellationToken)
    {
        UserPoolClient? client;
        if (userPoolId is null)
        {
            client = await pools.FindClientAsync(clientId, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (await pools.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false) is null)
            {
                return UserPoolErrors.UserPoolNotFound(userPoolId);
            }

            client = await pools.GetClientAsync(userPoolId, clientId, cancellationToken).ConfigureAwait(false);
        }

        var pool = client is null ? null : await pools.GetUserPoolAsync(client.UserPoolId, cancellationToken).ConfigureAwait(false);
        return pool is null ? UserPoolErrors.ClientNotFound(clientId) : (pool, client!);
    }

    private static string? Parameter(IReadOnlyDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
