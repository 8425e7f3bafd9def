namespace IdentityBroker.Tokens;

/// <summary>Claim names and values of the broker's OpenID tokens (Cognito Identity API reference, GetOpenIdToken).</summary>
public static class BrokerClaims
{
    public const string IdentityPoolArn = "https://cognito-identity.amazonaws.com/identity-pool-arn";

    public const string Tags = "https://aws.amazon.com/tags";

    public const string Authenticated = "authenticated";

    public const string Unauthenticated = "unauthenticated";

    /// <summary>
    /// Suffix of the audience of guest tokens. Real IAM evaluates only aud and sub for an OIDC provider, so in
    /// <c>aws</c> mode a guest's token must not carry the audience an authenticated role trusts (README, "Production").
    /// </summary>
    public const string UnauthenticatedAudienceSuffix = ":unauthenticated";

    public static string Audience(string poolId, bool authenticated) =>
        authenticated ? poolId : poolId + UnauthenticatedAudienceSuffix;

    /// <summary>The pool id behind a broker token's audience (what Cognito presents as <c>cognito-identity.amazonaws.com:aud</c>).</summary>
    public static string PoolIdFromAudience(string audience) =>
        audience.EndsWith(UnauthenticatedAudienceSuffix, StringComparison.Ordinal)
            ? audience[..^UnauthenticatedAudienceSuffix.Length]
            : audience;
}
