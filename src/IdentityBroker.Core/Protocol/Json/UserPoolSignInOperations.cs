using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// The rows of the sign-in operations: InitiateAuth, RespondToAuthChallenge and GetTokensFromRefreshToken unsigned, as in
/// AWS; their Admin twins and AdminUserGlobalSignOut signed, authorized as <c>cognito-idp:&lt;Op&gt;</c> on the pool's ARN.
/// </summary>
public sealed class UserPoolSignInOperations(UserPoolSignIn signIn, UserPoolResources resources)
{
    internal IEnumerable<CognitoOperation> Rows(JsonOperationTable t)
    {
        var c = UserPoolSignInJsonContext.Default;
        var r = resources;
        return
        [
            JsonOperationTable.Unsigned("InitiateAuth", c.InitiateAuthRequest,
                q => new InitiateAuthCommand(null, q.ClientId!, q.AuthFlow!, Parameters(q.AuthParameters)) { ClientMetadata = q.ClientMetadata },
                signIn.InitiateAsync, Reply, c.SignInResponse),
            t.Signed("AdminInitiateAuth", c.AdminInitiateAuthRequest,
                q => new InitiateAuthCommand(q.UserPoolId!, q.ClientId!, q.AuthFlow!, Parameters(q.AuthParameters)) { ClientMetadata = q.ClientMetadata },
                signIn.InitiateAsync, Reply, c.SignInResponse, (q, ct) => r.PoolAsync(q.UserPoolId!, ct)),
            JsonOperationTable.Unsigned("RespondToAuthChallenge", c.RespondToAuthChallengeRequest,
                q => new RespondToAuthChallengeCommand(null, q.ClientId!, q.ChallengeName!, q.Session, Parameters(q.ChallengeResponses))
                {
                    ClientMetadata = q.ClientMetadata,
                },
                signIn.RespondAsync, Reply, c.SignInResponse),
            t.Signed("AdminRespondToAuthChallenge", c.AdminRespondToAuthChallengeRequest,
                q => new RespondToAuthChallengeCommand(q.UserPoolId!, q.ClientId!, q.ChallengeName!, q.Session, Parameters(q.ChallengeResponses))
                {
                    ClientMetadata = q.ClientMetadata,
                },
                signIn.RespondAsync, Reply, c.SignInResponse, (q, ct) => r.PoolAsync(q.UserPoolId!, ct)),
            JsonOperationTable.Unsigned("GetTokensFromRefreshToken", c.GetTokensFromRefreshTokenRequest,
                q => new GetTokensFromRefreshTokenCommand(q.RefreshToken!, q.ClientId!, q.ClientSecret),
                signIn.GetTokensFromRefreshTokenAsync, o => new GetTokensFromRefreshTokenResponse { AuthenticationResult = Result(o.Tokens) },
                c.GetTokensFromRefreshTokenResponse),
            t.Signed("AdminUserGlobalSignOut", c.AdminUserGlobalSignOutRequest,
                q => new AdminUserGlobalSignOutCommand(q.UserPoolId!, q.Username!), signIn.AdminUserGlobalSignOutAsync,
                (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
        ];
    }

    private static Dictionary<string, string> Parameters(Dictionary<string, string>? map) => map ?? new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A challenge (name, parameters, Session), or tokens with empty ChallengeParameters, as Cognito answers.</summary>
    private static SignInResponse Reply(SignInOutcome outcome) => new()
    {
        ChallengeName = outcome.ChallengeName,
        Session = outcome.Session,
        ChallengeParameters = outcome.ChallengeParameters is { } p ? new Dictionary<string, string>(p, StringComparer.Ordinal) : [],
        AuthenticationResult = Result(outcome.Tokens),
    };

    private static AuthenticationResultShape? Result(UserPoolTokens? tokens) => tokens is null ? null : new()
    {
        AccessToken = tokens.AccessToken,
        ExpiresIn = tokens.ExpiresIn,
        TokenType = tokens.TokenType,
        RefreshToken = tokens.RefreshToken,
        IdToken = tokens.IdToken,
    };
}
