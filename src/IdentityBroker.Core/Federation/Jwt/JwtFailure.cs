namespace IdentityBroker.Federation.Jwt;

/// <summary>Why <see cref="JwtReader"/> refused a token, in the order its checks run.</summary>
internal enum JwtFailureKind
{
    /// <summary>Not a compact JWS of at most the rule's length, or a header/payload that is not a JSON object.</summary>
    Malformed,

    /// <summary>An <c>alg</c> outside the rule's list (<see cref="JwtFailure.Detail"/> is the alg).</summary>
    Algorithm,

    /// <summary>A <c>crit</c> header (RFC 7515 §4.1.11: the broker understands no extension).</summary>
    CriticalHeader,

    Issuer,

    /// <summary>exp, aud or sub missing (<see cref="JwtFailure.Detail"/> is the claim name).</summary>
    MissingClaim,

    /// <summary>exp, nbf or iat present but not a number (<see cref="JwtFailure.Detail"/> is the claim name).</summary>
    NotANumber,

    /// <summary><see cref="JwtFailure.At"/> is exp.</summary>
    Expired,

    /// <summary><see cref="JwtFailure.At"/> is nbf.</summary>
    NotYetValid,

    /// <summary><see cref="JwtFailure.At"/> is iat.</summary>
    IssuedInFuture,

    /// <summary>The rule's <see cref="JwtRule.RequiredClaim"/> is absent or has another value.</summary>
    RequiredClaim,

    /// <summary>The keys could not be had (<see cref="JwtFailure.Detail"/> says why, naming the issuer only).</summary>
    KeysUnavailable,

    /// <summary>The token names a kid its issuer does not publish.</summary>
    NoKeyForKid,

    Signature,

    Audience,
}

/// <param name="Now">The reader's clock, epoch seconds, for the lifetime failures.</param>
/// <param name="At">The claim's time, epoch seconds, for the lifetime failures.</param>
internal sealed record JwtFailure(JwtFailureKind Kind, string? Detail = null, long Now = 0, long At = 0);

/// <summary>A token that passed every check of its rule, or why not. Only <see cref="JwtReader"/> builds one that passed.</summary>
internal sealed class JwtResult
{
    private JwtResult(VerifiedJwt? token, JwtFailure? failure)
    {
        Token = token;
        Failure = failure;
    }

    public VerifiedJwt? Token { get; }

    public JwtFailure? Failure { get; }

    public static implicit operator JwtResult(JwtFailure failure) => new(null, failure);

    internal static JwtResult Passed(VerifiedJwt token) => new(token, null);
}

/// <summary>A JWS whose signature and claims passed a <see cref="JwtRule"/>; what validators turn into a login.</summary>
internal sealed class VerifiedJwt
{
    internal VerifiedJwt(CompactJws jws) => Jws = jws;

    public CompactJws Jws { get; }

    public JwtClaims Claims => Jws.Claims;

    /// <summary>Required by every rule, so never empty here.</summary>
    public string Subject => Jws.Claims.Subject!;

    /// <summary>The token's <c>exp</c> (every rule requires it); null when it lies beyond what a date can hold.</summary>
    public DateTimeOffset? ExpiresAt => Jws.Claims.Expiry is { } seconds && seconds is >= 0 and <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private const long MaxUnixSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z, DateTimeOffset's last second

    /// <summary>The payload as strings for role mapping, built on first read.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ClaimMap() => new LazyTokenClaims(Jws.Claims.Payload);
}
