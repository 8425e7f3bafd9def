using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Tokens;

namespace IdentityBroker.Sts;

/// <summary>
/// The claims STS checks, read from a token's JSON payload or taken from a token the broker signed in this process, so that
/// both paths go through one set of checks (<see cref="WebIdentityTokenValidator"/>).
/// </summary>
/// <param name="Amr">The broker's <c>amr</c> values; empty for a third-party token.</param>
/// <param name="Tags">Kept as a result so that a bad tag claim is reported at the same stage on both paths.</param>
internal sealed record TokenClaims(
    long? Expires,
    long? NotBefore,
    long? IssuedAt,
    IReadOnlyList<string> Audiences,
    string? Subject,
    IReadOnlyList<string> Amr,
    Result<SessionTagSet> Tags,
    string? SourceIdentity)
{
    /// <summary>A malformed exp/nbf/iat (not a number) fails here, as the first lifetime check.</summary>
    public static Result<TokenClaims> FromPayload(JsonElement payload, bool fromBroker)
    {
        var exp = WebIdentityClaims.NumericDate(payload, "exp");
        var nbf = WebIdentityClaims.NumericDate(payload, "nbf");
        var iat = WebIdentityClaims.NumericDate(payload, "iat");
        if (!exp.IsSuccess || !nbf.IsSuccess || !iat.IsSuccess)
        {
            return (exp.Error ?? nbf.Error ?? iat.Error)!;
        }

        return new TokenClaims(
            exp.Value, nbf.Value, iat.Value,
            WebIdentityClaims.Strings(payload, "aud"),
            WebIdentityClaims.String(payload, "sub"),
            fromBroker ? WebIdentityClaims.Strings(payload, "amr") : [],
            WebIdentityClaims.Tags(payload),
            WebIdentityClaims.String(payload, WebIdentityClaims.SourceIdentityClaim));
    }

    /// <summary>The broker writes no nbf, no transitive tag keys and no source identity (OpenIdTokenIssuer).</summary>
    public static TokenClaims FromSigned(SignedBrokerToken token) => new(
        token.Expires, null, token.IssuedAt, [token.Audience], token.Subject, token.Amr, WebIdentityClaims.Tags(token.Tags, []), null);
}
