using IdentityBroker.Tokens;

namespace IdentityBroker.Credentials;

/// <summary>Temporary AWS credentials as STS returns them.</summary>
public sealed record IssuedCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration);

/// <summary>What the broker asks STS for in the enhanced flow (AssumeRoleWithWebIdentity).</summary>
/// <param name="RoleArn">The role chosen by the pool.</param>
/// <param name="WebIdentity">
/// The broker's OpenID token for the identity, as claims: the in-process minter hands them to the embedded STS as they are; a
/// minter that calls an STS over HTTP signs them (<see cref="BrokerTokenClaims.Sign"/>), since there the token leaves the process.
/// </param>
/// <param name="RoleSessionName">Cognito uses <c>CognitoIdentityCredentials</c>.</param>
/// <param name="Policy">Inline session policy (the guest scope-down), or null.</param>
/// <param name="PolicyArns">Managed session policies, or empty.</param>
/// <param name="DurationSeconds">Null for the STS default (3,600 s).</param>
public sealed record MintRequest(
    string RoleArn,
    BrokerTokenClaims WebIdentity,
    string RoleSessionName,
    string? Policy,
    IReadOnlyList<string> PolicyArns,
    int? DurationSeconds);

/// <summary>
/// A failure to mint: <see cref="Code"/> is the STS error code (e.g. AccessDenied); <see cref="Detail"/> is for the
/// broker's log only — the unsigned caller sees Cognito's generic message.
/// </summary>
public sealed record MintFailure(string Code, string Detail);

/// <summary>The seam between the broker and an STS: embedded (the broker's own) or AWS (or any STS-compatible endpoint).</summary>
public interface ICredentialMinter
{
    Task<MintResult> MintAsync(MintRequest request, CancellationToken cancellationToken);
}

public sealed record MintResult(IssuedCredentials? Credentials, MintFailure? Failure)
{
    public static MintResult Ok(IssuedCredentials credentials) => new(credentials, null);

    public static MintResult Fail(string code, string detail) => new(null, new MintFailure(code, detail));
}
