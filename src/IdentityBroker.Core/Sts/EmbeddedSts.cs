using IdentityBroker.Audit;
using IdentityBroker.Credentials;
using IdentityBroker.Errors;
using IdentityBroker.Iam;
using IdentityBroker.Mapping;
using IdentityBroker.Policies;
using IdentityBroker.Storage;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Sts;

/// <summary>
/// The embedded STS: AssumeRoleWithWebIdentity with AWS's checks, for the Query handler and the in-process minter alike.
/// Stages: parameters → session policy → token → role → trust → duration → packed size → credentials.
/// </summary>
public sealed class EmbeddedSts(
    WebIdentityTokenValidator tokens,
    IIamStore iam,
    PolicyCache policies,
    SessionKeyRing keys,
    IOptions<BrokerOptions> options,
    TimeProvider time)
{
    /// <summary>A caller's request (Query API over HTTP, or a minter reaching this STS over HTTP): the token is fully verified.</summary>
    public Task<Result<WebIdentityResult>> AssumeRoleWithWebIdentityAsync(WebIdentityRequest request, CancellationToken cancellationToken) =>
        AssumeAsync(request, null, cancellationToken);

    /// <summary>
    /// The in-process minter's request: the same stages, fed with the claims the broker built in this process instead of a
    /// token's text (<paramref name="request"/> carries none). No signature is made or verified, since no token exists; see
    /// <see cref="WebIdentityTokenValidator.ValidateBrokerClaimsAsync"/> for the checks that still run on the claims.
    /// </summary>
    public Task<Result<WebIdentityResult>> AssumeRoleWithBrokerClaimsAsync(
        WebIdentityRequest request, BrokerTokenClaims claims, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(claims);
        return AssumeAsync(request, claims, cancellationToken);
    }

    /// <summary>
    /// The stages; each records the decision for the audit trail (docs/audit.md, "The decision"): the validated token's
    /// provider and subject, the role and the trust statement's provider, the session tags, or the stage that refused. Inside
    /// GetCredentialsForIdentity the identity pool's own decision, recorded after the mint, replaces this one. Only the
    /// source of the <see cref="WebIdentity"/> differs between a verified token and the broker's claims; everything after it is
    /// one path.
    /// </summary>
    private async Task<Result<WebIdentityResult>> AssumeAsync(WebIdentityRequest received, BrokerTokenClaims? claims, CancellationToken cancellationToken)
    {
        var bound = WebIdentityRequestRules.Bind(received, claims);
        if (!bound.IsSuccess)
        {
            return CallAuditScope.Refused([], null, bound.Error!, "the request's parameters are not valid");
        }

        var request = bound.Value;
        if (request.Policy is { } policy && policies.Parse(policy, PolicyKind.Permission).Error is { } malformed)
        {
            return CallAuditScope.Refused([], null, malformed, "the session policy is not valid");
        }

        var identity = claims is null
            ? await tokens.ValidateAsync(request.WebIdentityToken!, cancellationToken).ConfigureAwait(false)
            : await tokens.ValidateBrokerClaimsAsync(claims, cancellationToken).ConfigureAwait(false);
        if (!identity.IsSuccess)
        {
            return CallAuditScope.Refused([], null, identity.Error!, "the web identity token did not validate");
        }

        List<DecidedLogin> logins = [new DecidedLogin(identity.Value.ProviderKey, identity.Value.Subject)];
        var role = await FindRoleAsync(request.RoleArn, cancellationToken).ConfigureAwait(false);
        if (role is null)
        {
            return CallAuditScope.Refused(logins, null, StsErrors.AccessDenied(WebIdentityTrust.AssumeAction), $"no role {request.RoleArn} in this account");
        }

        var trust = EvaluateTrust(role, identity.Value, request.RoleSessionName);
        if (!trust.IsSuccess)
        {
            return CallAuditScope.Refused(logins, null, trust.Error!, $"the trust policy of {role.Arn} does not admit this token");
        }

        if (request.DurationSeconds > role.MaxSessionDuration)
        {
            return CallAuditScope.Refused(logins, null, StsErrors.DurationTooLong(),
                $"DurationSeconds {request.DurationSeconds} is above the role's MaxSessionDuration {role.MaxSessionDuration}");
        }

        var packed = PackedPolicy.Percent(request.Policy, identity.Value.Tags);
        if (packed > 100)
        {
            return CallAuditScope.Refused(logins, null, StsErrors.PackedPolicyTooLarge(identity.Value.Tags.Tags.Count > 0
                ? $"Packed size of session tags consumes {packed}% of allotted space."
                : "Serialized token too large for session"), $"the session policy and tags take {packed}% of the packed size");
        }

        var session = NewSession(role, request, identity.Value);
        var credentials = await IssueAsync(session, cancellationToken).ConfigureAwait(false);
        var chosen = new RoleDecision(role.Arn, null, RoleSource.RequestedRole, null, null, trust.Value.Provider,
            $"the request names {role.Arn} and its trust policy admits tokens of {trust.Value.Provider}");
        CallAuditScope.Decided(CredentialDecision.Allowed(logins, chosen, identity.Value.Tags.Tags));
        CallAuditScope.Issued(credentials.AccessKeyId, credentials.Expiration);
        var reportPacked = request.Policy is not null || identity.Value.Tags.Tags.Count > 0;
        return new WebIdentityResult(
            credentials, session.AssumedRoleArn, session.UserId, identity.Value.Subject, identity.Value.Audiences[0],
            trust.Value.Provider, reportPacked ? packed : null, identity.Value.SourceIdentity);
    }

    private async Task<IamRole?> FindRoleAsync(string roleArn, CancellationToken cancellationToken)
    {
        // arn:aws:iam::<account>:role/<path><name>; a role of another account is as unknown as a missing one.
        var prefix = $"arn:aws:iam::{options.Value.AccountId}:role/";
        if (!roleArn.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var role = await iam.GetRoleAsync(roleArn[(roleArn.LastIndexOf('/') + 1)..], cancellationToken).ConfigureAwait(false);
        return role is not null && role.Arn == roleArn ? role : null;
    }

    private Result<TrustCandidate> EvaluateTrust(IamRole role, WebIdentity identity, string sessionName)
    {
        var trustPolicy = policies.Parse(role.AssumeRolePolicyDocument, PolicyKind.Trust);
        if (!trustPolicy.IsSuccess)
        {
            return StsErrors.AccessDenied(WebIdentityTrust.AssumeAction);
        }

        var extra = new List<string>(2);
        if (identity.Tags.Tags.Count > 0)
        {
            extra.Add(WebIdentityTrust.TagSessionAction);
        }

        if (identity.SourceIdentity is not null)
        {
            extra.Add(WebIdentityTrust.SetSourceIdentityAction);
        }

        var candidates = TrustCandidates.For(identity, sessionName, time.GetUtcNow());
        var outcome = WebIdentityTrust.Evaluate(trustPolicy.Value, role.Arn, candidates, extra);
        return outcome.Accepted is { } accepted ? accepted : StsErrors.AccessDenied(outcome.DeniedAction);
    }

    private StsSession NewSession(IamRole role, AssumeRoleWithWebIdentity request, WebIdentity identity)
    {
        var now = time.GetUtcNow();
        return new()
        {
            AccessKeyId = SessionTokenCodec.NewAccessKeyId(),
            RoleArn = role.Arn,
            RoleId = role.RoleId,
            SessionName = request.RoleSessionName,
            Expiration = now.AddSeconds(request.DurationSeconds),
            Policy = request.Policy,
            PolicyArns = request.PolicyArns,
            Tags = identity.Tags.Tags,
            TransitiveTagKeys = identity.Tags.TransitiveKeys,
            SourceIdentity = identity.SourceIdentity,
            IssuedAt = now,
            BrokerScope = identity.Issuer.IsBroker && identity.Audiences.Count == 1
                ? new Revocations.SessionScope(BrokerClaims.PoolIdFromAudience(identity.Audiences[0]), identity.Subject, identity.Amr, now)
                : null,
        };
    }

    private async Task<IssuedCredentials> IssueAsync(StsSession session, CancellationToken cancellationToken)
    {
        var key = await keys.GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        return new IssuedCredentials(
            session.AccessKeyId, SessionTokenCodec.DeriveSecret(session.AccessKeyId, key), SessionTokenCodec.Seal(session, key), session.Expiration);
    }
}
