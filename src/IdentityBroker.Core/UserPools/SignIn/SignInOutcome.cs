using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Tokens;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>What one sign-in call answers: tokens, or the next challenge with its parameters and Session.</summary>
public sealed record SignInOutcome(
    UserPoolTokens? Tokens,
    string? ChallengeName = null,
    IReadOnlyDictionary<string, string>? ChallengeParameters = null,
    string? Session = null)
{
    public static SignInOutcome SignedIn(UserPoolTokens tokens) => new(tokens);

    /// <summary>A hosted UI sign-in that is complete: the pages start the browser session and the authorization code, not tokens.</summary>
    public PoolUser? HostedUser { get; init; }

    public static SignInOutcome Authenticated(PoolUser user) => new((UserPoolTokens?)null) { HostedUser = user };

    public static SignInOutcome Challenge(string name, IReadOnlyDictionary<string, string> parameters, string session) =>
        new(null, name, parameters, session);
}

/// <summary>Who is signing in, through which pool and client: what every step after the password proof works on.</summary>
public sealed record SignInContext(UserPool Pool, UserPoolClient Client, PoolUser User)
{
    /// <summary>The sign-in comes from the hosted UI pages: it ends in <see cref="SignInOutcome.Authenticated"/> instead of tokens.</summary>
    public bool Hosted { get; init; }

    /// <summary>RespondToAuthChallenge's ClientMetadata, the <c>clientMetadata</c> of the triggers its answer runs.</summary>
    public Triggers.TriggerInputs Inputs { get; init; } = Triggers.TriggerInputs.None;

    /// <summary>
    /// The pre token generation trigger's <c>triggerSource</c> if this step ends in tokens: TokenGeneration_Authentication,
    /// or TokenGeneration_NewPasswordChallenge when the tokens answer NEW_PASSWORD_REQUIRED (developer guide, "Connecting
    /// Lambda triggers to user pool functional operations").
    /// </summary>
    public string TokenSource { get; init; } = Triggers.TokenTriggers.Authentication;
}

/// <summary>The challenges the broker issues and answers.</summary>
public static class ChallengeNames
{
    public const string PasswordVerifier = "PASSWORD_VERIFIER";
    public const string NewPasswordRequired = "NEW_PASSWORD_REQUIRED";
}

/// <summary>The AuthParameters and ChallengeResponses names the flows read.</summary>
public static class SignInParameters
{
    public const string Username = "USERNAME";
    public const string Password = "PASSWORD";
    public const string SecretHash = "SECRET_HASH";
    public const string SrpA = "SRP_A";
    public const string RefreshToken = "REFRESH_TOKEN";
    public const string NewPassword = "NEW_PASSWORD";
    public const string UserIdForSrp = "USER_ID_FOR_SRP";
    public const string AttributePrefix = "userAttributes.";
}
