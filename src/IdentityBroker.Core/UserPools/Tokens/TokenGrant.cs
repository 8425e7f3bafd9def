using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Tokens;

/// <summary>
/// What a sign-in (or a refresh) hands to token issuance: who signed in, through which app client, and what the ID token
/// says of them. The sign-in flows fill it from the user and their groups; <see cref="UserPoolTokenIssuer"/> and
/// <see cref="Sessions.UserPoolSessions"/> only write it.
/// </summary>
/// <param name="Client">The app client signed in through: its pool, id and token validities.</param>
/// <param name="Sub">The user's immutable <c>sub</c>.</param>
/// <param name="Username">The user name (<c>cognito:username</c> in the ID token, <c>username</c> in the access token).</param>
/// <param name="Attributes">
/// The user's attributes for the ID token (email, email_verified, phone_number, name, custom:…); <c>sub</c> is ignored here.
/// <c>email_verified</c> and <c>phone_number_verified</c> are written as JSON booleans, as Cognito does.
/// </param>
/// <param name="Groups">The group claims of the user's groups (<see cref="GroupRoles.For"/>).</param>
/// <param name="AuthTime">When the user authenticated (<c>auth_time</c>); kept across refreshes.</param>
/// <param name="Scopes">The access token's scopes; null for Cognito's API default, <c>aws.cognito.signin.user.admin</c>.</param>
public sealed record TokenGrant(
    UserPoolClient Client,
    string Sub,
    string Username,
    IReadOnlyDictionary<string, string> Attributes,
    GroupClaims Groups,
    DateTimeOffset AuthTime,
    IReadOnlyList<string>? Scopes = null)
{
    /// <summary>The scope of tokens from the user-pools API (InitiateAuth and the rest): the user's self-service operations.</summary>
    public const string AdminScope = "aws.cognito.signin.user.admin";

    public string UserPoolId => Client.UserPoolId;

    /// <summary>The pre token generation trigger's claim changes to each token; null: the tokens as the grant says.</summary>
    public Triggers.TokenClaimsOverride? ClaimsOverride { get; init; }

    public IReadOnlyList<string> EffectiveScopes => Scopes ?? [AdminScope];

    /// <summary>The authorize request's <c>nonce</c>, written into the ID token (OIDC Core §3.1.2.1); null for none.</summary>
    public string? Nonce { get; init; }
}

/// <summary>The ID and access tokens of one issuance, and the refresh token when a session started with it.</summary>
/// <param name="ExpiresIn">The access token's lifetime in seconds (AuthenticationResultType.ExpiresIn).</param>
public sealed record UserPoolTokens(string IdToken, string AccessToken, string? RefreshToken, int ExpiresIn, string TokenType = "Bearer");
