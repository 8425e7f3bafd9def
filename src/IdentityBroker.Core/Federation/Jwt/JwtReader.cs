using System.Text.Json;
using IdentityBroker.Tokens;

namespace IdentityBroker.Federation.Jwt;

/// <summary>
/// The one reader of JWTs the broker accepts (OIDC, Google, Apple, Facebook Limited Login, user pools, the broker's own
/// tokens, STS web identity tokens). Checks, in order, each against the issuer kind's <see cref="JwtRule"/>: size and form
/// (<see cref="CompactJws"/>), <c>alg</c> in the rule's list and no <c>crit</c>, <c>iss</c>, required claims (exp, aud,
/// sub), the rule's required claim, lifetime (exp, nbf, iat on <see cref="TimeProvider"/> time), then the signature with
/// the rule's keys (<see cref="JwsVerifier"/>) and last the audience, on signed claims. What can be refused without keys
/// is refused before any key is fetched.
/// </summary>
/// <remarks>
/// The JWS is checked here rather than by IdentityModel's JsonWebTokenHandler: on GetId the handler's parsing and
/// validation cost as much CPU as the RSA verify itself (docs/performance.md, round 2). Failures are reasons, not
/// messages: each consumer words them as its service does (Cognito's "Invalid login token. …", STS's InvalidIdentityToken).
/// </remarks>
/// <param name="verified">The verified-token cache: remembers signatures only; every other check runs each time.</param>
public sealed class JwtReader(IssuerKeyCache cache, SigningKeyRing ring, TimeProvider time, VerifiedTokenCache? verified = null)
{
    /// <summary>Reads and checks <paramref name="token"/> against <paramref name="rule"/>.</summary>
    internal ValueTask<JwtResult> ReadAsync(string token, JwtRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(rule);
        var jws = CompactJws.Parse(token, rule.MaxLength);
        return jws is null
            ? ValueTask.FromResult<JwtResult>(new JwtFailure(JwtFailureKind.Malformed))
            : VerifyAsync(jws, token, rule, cancellationToken);
    }

    /// <summary>As <see cref="ReadAsync"/> for a token already parsed (STS picks the rule by the token's <c>iss</c>).</summary>
    internal async ValueTask<JwtResult> VerifyAsync(CompactJws jws, string token, JwtRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jws);
        ArgumentNullException.ThrowIfNull(rule);
        if (token.Length > rule.MaxLength)
        {
            return new JwtFailure(JwtFailureKind.Malformed);
        }

        if ((CheckHeader(jws, rule) ?? CheckClaims(jws.Claims, rule)) is { } refused)
        {
            return refused;
        }

        var keys = await KeysAsync(rule.Keys, jws.KeyId, cancellationToken);
        if (keys.Verifier is not { } verifier)
        {
            return new JwtFailure(JwtFailureKind.KeysUnavailable, keys.Failure);
        }

        var check = verified is null ? verifier.Verify(jws, token) : verified.Verify(verifier, jws, token);
        return check switch
        {
            JwsCheck.NoKeyForKid => new JwtFailure(JwtFailureKind.NoKeyForKid),
            JwsCheck.BadSignature => new JwtFailure(JwtFailureKind.Signature),

            // Audience last, on signed claims only (Cognito answers it as an unsupported provider, not a bad token).
            _ => rule.Audience.Accepts(jws.Claims) ? JwtResult.Passed(new VerifiedJwt(jws)) : new JwtFailure(JwtFailureKind.Audience),
        };
    }

    /// <summary>
    /// Every check but the signature, on claims this process built a moment ago (<see cref="JwtClaims.Built"/>): the
    /// in-process STS refuses what <see cref="VerifyAsync"/> would refuse, without a token to read.
    /// </summary>
    internal JwtFailure? CheckBuilt(JwtClaims claims, JwtRule rule)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(rule);
        return CheckClaims(claims, rule) ?? (rule.Audience.Accepts(claims) ? null : new JwtFailure(JwtFailureKind.Audience));
    }

    private static JwtFailure? CheckHeader(CompactJws jws, JwtRule rule)
    {
        if (!rule.Algorithms.Contains(jws.Algorithm, StringComparer.Ordinal))
        {
            return new JwtFailure(JwtFailureKind.Algorithm, jws.Algorithm);
        }

        return jws.HasCriticalHeader ? new JwtFailure(JwtFailureKind.CriticalHeader) : null;
    }

    private JwtFailure? CheckClaims(JwtClaims claims, JwtRule rule)
    {
        if (!rule.Issuers.Matches(claims.Issuer))
        {
            return new JwtFailure(JwtFailureKind.Issuer, claims.Issuer);
        }

        if (MissingClaim(claims, rule.Audience.RequiresAudience) is { } missing)
        {
            return new JwtFailure(JwtFailureKind.MissingClaim, missing);
        }

        if (rule.RequiredClaim is { } required && !HasClaim(claims.Payload, required))
        {
            return new JwtFailure(JwtFailureKind.RequiredClaim, required.Name);
        }

        return CheckLifetime(claims, rule.Lifetime, time.GetUtcNow().ToUnixTimeSeconds());
    }

    private static string? MissingClaim(JwtClaims claims, bool audienceRequired)
    {
        if (!claims.HasExpiry)
        {
            return "exp";
        }

        if (audienceRequired && claims.Audiences.Count == 0)
        {
            return "aud";
        }

        return string.IsNullOrEmpty(claims.Subject) ? "sub" : null;
    }

    /// <summary>RFC 7519 §4.1.4, §4.1.5; OpenID Connect Core 1.0 §3.1.3.7 (10) for iat.</summary>
    private static JwtFailure? CheckLifetime(JwtClaims claims, LifetimeRule lifetime, long now)
    {
        var expiryLeeway = (long)lifetime.ExpiryLeeway.TotalSeconds;
        var skew = (long)lifetime.ClockSkew.TotalSeconds;
        if (claims.Expiry is not { } exp)
        {
            return new JwtFailure(JwtFailureKind.NotANumber, "exp");
        }

        if (now - expiryLeeway >= exp)
        {
            return new JwtFailure(JwtFailureKind.Expired, Now: now, At: exp);
        }

        return Future(claims.HasNotBefore, claims.NotBefore, "nbf", JwtFailureKind.NotYetValid, now + skew, now)
            ?? Future(claims.HasIssuedAt, claims.IssuedAt, "iat", JwtFailureKind.IssuedInFuture, now + skew, now);
    }

    private static JwtFailure? Future(bool present, long? value, string name, JwtFailureKind kind, long latest, long now)
    {
        if (!present)
        {
            return null;
        }

        if (value is not { } at)
        {
            return new JwtFailure(JwtFailureKind.NotANumber, name);
        }

        return at > latest ? new JwtFailure(kind, Now: now, At: at) : null;
    }

    private static bool HasClaim(byte[] payload, RequiredClaim required)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.TryGetProperty(required.Name, out var value) && value.ValueKind == JsonValueKind.String
            && string.Equals(value.GetString(), required.Value, StringComparison.Ordinal);
    }

    private async ValueTask<(JwsVerifier? Verifier, string? Failure)> KeysAsync(KeySource source, string? keyId, CancellationToken cancellationToken)
    {
        switch (source)
        {
            case BrokerKeyRing:
                return (ring.Verifier, null);
            case ResolvedKeys resolved:
                return (resolved.Keys.Verifier, null);
            default:
                var lookup = await cache.GetAsync(source, keyId, cancellationToken);
                return (lookup.Keys?.Verifier, lookup.Failure);
        }
    }
}
