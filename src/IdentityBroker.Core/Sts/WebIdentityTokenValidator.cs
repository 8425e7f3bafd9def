using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Storage;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Sts;

/// <summary>
/// Validates a web identity token as STS does for OIDC ID tokens: the issuer (the broker or a registered OIDC provider)
/// found by <c>iss</c>, then <see cref="JwtReader"/> with the issuer's row of <see cref="JwtRules"/> — algorithm, the key
/// of the kid, exp/nbf/iat, aud present (and one of the registered client ids for a third-party provider, "Incorrect
/// token audience"), sub present — then the session tags. Every failure is InvalidIdentityToken, except expiry
/// (ExpiredTokenException) and keys that cannot be fetched (IDPCommunicationError).
/// </summary>
public sealed class WebIdentityTokenValidator(IIssuerKeySource keySource, IIamStore iam, JwtReader reader, IOptions<BrokerOptions> options)
{
    private const string KeyNotFound =
        "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements";

    public async Task<Result<WebIdentity>> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var jws = CompactJws.Parse(token, JwtRules.ThirdPartyMaxLength);
        if (jws is null)
        {
            return Refusal(new JwtFailure(JwtFailureKind.Malformed));
        }

        // Refused before any issuer look-up: no key is fetched for a token no issuer's rule accepts.
        if (!JwtRules.ThirdPartyAlgorithms.Contains(jws.Algorithm, StringComparer.Ordinal))
        {
            return Refusal(new JwtFailure(JwtFailureKind.Algorithm, jws.Algorithm));
        }

        var issuer = await IssuerAsync(jws.Claims.Issuer, jws.KeyId, cancellationToken).ConfigureAwait(false);
        if (!issuer.IsSuccess)
        {
            return issuer.Error!;
        }

        var read = await reader.VerifyAsync(jws, token, await RuleForAsync(issuer.Value, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        if (read.Token is not { } jwt)
        {
            return Refusal(read.Failure!);
        }

        using var payload = JsonDocument.Parse(jwt.Claims.Payload);
        var root = payload.RootElement;
        var tags = WebIdentityClaims.Tags(root);
        return tags.IsSuccess
            ? new WebIdentity(issuer.Value, jwt.Subject, jwt.Claims.Audiences, issuer.Value.IsBroker ? WebIdentityClaims.Strings(root, "amr") : [],
                tags.Value, WebIdentityClaims.String(root, WebIdentityClaims.SourceIdentityClaim))
            : tags.Error!;
    }

    /// <summary>
    /// The in-process STS's check of the claims of a broker token built in this process (<see cref="BrokerTokenClaims"/>, which
    /// only <see cref="OpenIdTokenIssuer"/> can build) and never signed. Why no signature is needed: the values never left the
    /// process — they are the ones the broker chose a moment ago, not bytes read back from a caller — so a signature and its
    /// verify would prove nothing to anyone. Everything else is checked as for a token received over HTTP: the issuer must be
    /// the broker and the key that would sign one it publishes under that kid, then the same rule
    /// (<see cref="JwtReader.CheckBuilt"/>) and session-tag limits as <see cref="ValidateAsync"/>.
    /// </summary>
    public async Task<Result<WebIdentity>> ValidateBrokerClaimsAsync(BrokerTokenClaims token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var issuer = await IssuerAsync(token.Issuer, token.KeyId, cancellationToken).ConfigureAwait(false);
        if (!issuer.IsSuccess)
        {
            return issuer.Error!;
        }

        if (!issuer.Value.IsBroker)
        {
            return Refusal(new JwtFailure(JwtFailureKind.Issuer, token.Issuer));
        }

        if (!issuer.Value.Verifier.HasKey(token.KeyId))
        {
            return Refusal(new JwtFailure(JwtFailureKind.NoKeyForKid));
        }

        var claims = JwtClaims.Built(token.Issuer, token.Subject, token.Audience, token.IssuedAt, token.Expires);
        if (reader.CheckBuilt(claims, JwtRules.StsBroker(issuer.Value, options.Value.Oidc)) is { } failure)
        {
            return Refusal(failure);
        }

        // The broker writes no transitive tag keys and no source identity (OpenIdTokenIssuer).
        var tags = WebIdentityClaims.Tags(token.Tags, []);
        return tags.IsSuccess ? new WebIdentity(issuer.Value, token.Subject, [token.Audience], token.Amr, tags.Value, null) : tags.Error!;
    }

    private async Task<Result<IssuerKeys>> IssuerAsync(string issuer, string? keyId, CancellationToken cancellationToken)
    {
        try
        {
            var keys = string.IsNullOrEmpty(issuer) ? null : await keySource.GetKeysAsync(issuer, keyId, cancellationToken).ConfigureAwait(false);
            return keys is null ? Refusal(new JwtFailure(JwtFailureKind.Issuer, issuer)) : keys;
        }
        catch (IssuerKeysUnavailableException)
        {
            return StsErrors.IdpCommunication();
        }
    }

    /// <summary>IAM: for a registered OIDC provider the token's aud must be one of the provider's client ids.</summary>
    private async Task<JwtRule> RuleForAsync(IssuerKeys issuer, CancellationToken cancellationToken)
    {
        if (issuer.IsBroker)
        {
            return JwtRules.StsBroker(issuer, options.Value.Oidc);
        }

        var provider = await iam.GetOidcProviderAsync(issuer.ProviderArn, cancellationToken).ConfigureAwait(false);
        return JwtRules.StsOidcProvider(issuer, provider?.ClientIds ?? [], options.Value.Oidc);
    }

    /// <summary>A refusal in STS's words (sts.service-2.json error names; STS API reference, AssumeRoleWithWebIdentity).</summary>
    private static AwsError Refusal(JwtFailure failure) => failure.Kind switch
    {
        JwtFailureKind.Malformed => StsErrors.InvalidIdentityToken("The web identity token is not a valid JWT."),
        JwtFailureKind.Algorithm => StsErrors.InvalidIdentityToken($"The web identity token is signed with an unsupported algorithm: {failure.Detail}."),
        JwtFailureKind.Issuer => StsErrors.InvalidIdentityToken($"No OpenIDConnect provider found in your account for {failure.Detail}"),
        JwtFailureKind.MissingClaim when failure.Detail == "aud" => StsErrors.InvalidIdentityToken("Incorrect token audience"),
        JwtFailureKind.MissingClaim => StsErrors.InvalidIdentityToken($"The web identity token has no {failure.Detail} claim."),
        JwtFailureKind.NotANumber => StsErrors.InvalidIdentityToken($"The {failure.Detail} claim of the web identity token is not a number."),

        // RFC 7519 §4.1.4: the token must not be accepted on or after exp.
        JwtFailureKind.Expired => StsErrors.ExpiredToken(DateTimeOffset.FromUnixTimeSeconds(failure.Now), failure.At),
        JwtFailureKind.NotYetValid or JwtFailureKind.IssuedInFuture =>
            StsErrors.InvalidIdentityToken("The web identity token is not yet valid (nbf or iat is in the future)."),
        JwtFailureKind.KeysUnavailable => StsErrors.IdpCommunication(),

        // With a kid the key must be one the issuer publishes under that kid; trying other keys would hide a rotation problem.
        JwtFailureKind.NoKeyForKid => StsErrors.InvalidIdentityToken(KeyNotFound),
        JwtFailureKind.Audience => StsErrors.InvalidIdentityToken("Incorrect token audience"),
        _ => StsErrors.InvalidIdentityToken("The web identity token signature could not be verified."),
    };
}
