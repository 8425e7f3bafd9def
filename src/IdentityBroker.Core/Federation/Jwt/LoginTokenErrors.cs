using IdentityBroker.Errors;

namespace IdentityBroker.Federation.Jwt;

/// <summary>
/// A refused ID token as Cognito words it: NotAuthorizedException "Invalid login token. …", or "Token is not from a
/// supported provider of this identity pool." for an audience the pool does not list. Never carries the token.
/// </summary>
internal static class LoginTokenErrors
{
    private const string NotVerified = "Couldn't verify signed token.";

    /// <param name="keysUnavailable">How the provider kind reports keys it could not fetch (the reason names the issuer only).</param>
    public static AwsError From(JwtFailure failure, Func<string?, AwsError> keysUnavailable)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(keysUnavailable);
        return Worded(failure, keysUnavailable) with { Reason = ReasonOf(failure.Kind) };
    }

    /// <summary>The failed check as a metrics label: the kind's name in snake_case (<c>NoKeyForKid</c> → <c>no_key_for_kid</c>).</summary>
    internal static string ReasonOf(JwtFailureKind kind) => kind switch
    {
        JwtFailureKind.Malformed => "malformed",
        JwtFailureKind.Algorithm => "algorithm",
        JwtFailureKind.CriticalHeader => "critical_header",
        JwtFailureKind.Issuer => "issuer",
        JwtFailureKind.MissingClaim => "missing_claim",
        JwtFailureKind.NotANumber => "not_a_number",
        JwtFailureKind.Expired => "expired",
        JwtFailureKind.NotYetValid => "not_yet_valid",
        JwtFailureKind.IssuedInFuture => "issued_in_future",
        JwtFailureKind.RequiredClaim => "required_claim",
        JwtFailureKind.KeysUnavailable => "keys_unavailable",
        JwtFailureKind.NoKeyForKid => "no_key_for_kid",
        JwtFailureKind.Signature => "signature",
        JwtFailureKind.Audience => "audience",
        _ => "other",
    };

    private static AwsError Worded(JwtFailure failure, Func<string?, AwsError> keysUnavailable)
    {
        return failure.Kind switch
        {
            JwtFailureKind.Malformed => CognitoErrors.InvalidLoginToken("Not a valid OpenId Connect identity token."),
            JwtFailureKind.Algorithm or JwtFailureKind.CriticalHeader or JwtFailureKind.NoKeyForKid or JwtFailureKind.Signature =>
                CognitoErrors.InvalidLoginToken(NotVerified),
            JwtFailureKind.Issuer => CognitoErrors.InvalidLoginToken("Issuer doesn't match providerName"),

            // A non-numeric exp reads as a missing one, as Cognito reports it.
            JwtFailureKind.MissingClaim => CognitoErrors.InvalidLoginToken($"Missing a required claim: {failure.Detail}"),
            JwtFailureKind.NotANumber when failure.Detail == "exp" => CognitoErrors.InvalidLoginToken("Missing a required claim: exp"),
            JwtFailureKind.NotANumber => CognitoErrors.InvalidLoginToken($"Claim {failure.Detail} is not a number."),

            // Cognito's own wording puts now first: "Token expired: 1589092400 >= 1589092129".
            JwtFailureKind.Expired => CognitoErrors.InvalidLoginToken($"Token expired: {failure.Now} >= {failure.At}"),
            JwtFailureKind.NotYetValid => CognitoErrors.InvalidLoginToken($"Token is not valid yet: {failure.Now} < {failure.At}"),
            JwtFailureKind.IssuedInFuture => CognitoErrors.InvalidLoginToken($"Token used before issued: {failure.Now} < {failure.At}"),
            JwtFailureKind.RequiredClaim => CognitoErrors.InvalidLoginToken("Token is not an ID token (token_use must be id)."),
            JwtFailureKind.KeysUnavailable => keysUnavailable(failure.Detail),
            _ => CognitoErrors.UnsupportedProvider(),
        };
    }
}
