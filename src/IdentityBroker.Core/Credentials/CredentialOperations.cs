using IdentityBroker.Audit;
using IdentityBroker.Errors;
using IdentityBroker.Identities;
using IdentityBroker.Mapping;
using IdentityBroker.Mapping.Expressions;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Logging;
using IdentityBroker.Observability;

namespace IdentityBroker.Credentials;

/// <summary>GetOpenIdToken (basic flow) and GetCredentialsForIdentity (enhanced flow).</summary>
public sealed partial class CredentialOperations(
    IdentityAccess access, OpenIdTokenIssuer tokens, ICredentialMinter minter, ExpressionRuleSets ruleSets, Revocations.RevokedMints revoked,
    CredentialDuration durations, TimeProvider time, ILogger<CredentialOperations> logger, BrokerMetrics? metrics = null)
{
    /// <summary>What Cognito names the session in enhanced flow (Amazon Cognito Developer Guide, "Identity pools authentication flow").</summary>
    public const string SessionName = "CognitoIdentityCredentials";

    /// <summary>The token handed to STS (signed only if it leaves the process) only needs to outlive the call.</summary>
    private static readonly TimeSpan InternalTokenLifetime = TimeSpan.FromMinutes(5);

    public async Task<Result<IdentityToken>> GetOpenIdTokenAsync(GetOpenIdToken command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var authorized = await access.AuthorizeAsync(command.IdentityId, command.Logins, cancellationToken).ConfigureAwait(false);
        if (!authorized.IsSuccess)
        {
            return Refused([], null, authorized.Error!, "the identity or its logins did not validate", command.IdentityId);
        }

        var (pool, identity, logins) = authorized.Value;
        var decided = logins.Select(DecidedLogin.From).ToList();
        if (revoked.Refusal(pool.IdentityPoolId, identity, logins) is { } revokedScope)
        {
            return Refused(decided, null, revokedScope, "a revocation covers the identity (aws mode)", identity.IdentityId);
        }

        if (pool.AllowClassicFlow == false)
        {
            return Refused(decided, null, CognitoErrors.ClassicFlowDisabled(), "the pool does not allow the basic (classic) flow", identity.IdentityId);
        }

        if (pool.RoleMappings is { Count: > 0 } mappings && logins.Any(l => MappingKeys.Find(mappings, MappingLogin.From(l)) is not null))
        {
            return Refused(decided, null, CognitoErrors.InvalidParameter("Basic (classic) flow is not supported with RoleMappings, please use enhanced flow."),
                "a login's provider has a role mapping, which only the enhanced flow applies", identity.IdentityId);
        }

        // Principal tags apply to the basic flow too: STS reads them from the token the client hands it.
        var tags = PrincipalTagMapper.Map(pool, [.. logins.Select(MappingLogin.From)]);
        var token = tokens.Issue(pool, identity, logins, OpenIdTokenIssuer.DefaultLifetime, tags.Tags);
        CallAuditScope.Decided(new CredentialDecision(decided, null, tags.Tags, null, null), pool.IdentityPoolId, identity.IdentityId);
        return new IdentityToken(identity.IdentityId, token.Token);
    }

    public async Task<Result<IdentityCredentials>> GetCredentialsAsync(GetCredentials command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var authorized = await access.AuthorizeAsync(command.IdentityId, command.Logins, cancellationToken).ConfigureAwait(false);
        if (!authorized.IsSuccess)
        {
            return Refused([], null, authorized.Error!, "the identity or its logins did not validate", command.IdentityId);
        }

        var (pool, identity, logins) = authorized.Value;
        var decided = logins.Select(DecidedLogin.From).ToList();
        if (revoked.Refusal(pool.IdentityPoolId, identity, logins) is { } revokedScope)
        {
            return Refused(decided, null, revokedScope, "a revocation covers the identity (aws mode)", identity.IdentityId);
        }

        var mappingLogins = logins.Select(MappingLogin.From).ToList();
        var inputs = new DecisionInputs(ExpressionInput.From(mappingLogins), identity.IdentityId, identity.CreationDate,
            [.. identity.Logins.Select(l => l.Provider).Distinct(StringComparer.Ordinal)], ExpressionRequestScope.Request, command.CustomRoleArn);
        var expression = ExpressionRoles.Evaluate(ruleSets.For(pool), identity.IsAuthenticated,
            () => new ExpressionInput(inputs.Logins, inputs.IdentityId, inputs.IdentityCreated, inputs.IdentityLogins, inputs.Request, time.GetUtcNow()));
        var decision = ExpressionRoles.Resolve(pool, identity.IsAuthenticated, mappingLogins, command.CustomRoleArn, expression);
        if (decision.RoleArn is not { } roleArn)
        {
            LogNoRole(logger, pool.IdentityPoolId, decision.Source.ToString(), decision.MappingKey ?? "(default roles)", decision.Reason);
            CallAuditScope.Decided(CredentialDecision.RoleRefused(decided, decision) with { Inputs = inputs }, pool.IdentityPoolId, identity.IdentityId);
            return decision.Error!;
        }

        var tags = PrincipalTagMapper.Map(pool, mappingLogins);
        foreach (var skipped in tags.Skipped)
        {
            LogTagSkipped(logger, pool.IdentityPoolId, skipped);
        }

        var sessionTags = ExpressionRoles.Tags(tags.Tags, expression);
        var duration = durations.Choose(pool, logins, expression.Match?.DurationSeconds);
        if (!duration.IsSuccess)
        {
            return Refused(decided, decision, duration.Error!, "the login expires too soon for credentials capped at its expiry", identity.IdentityId);
        }

        var claims = tokens.Claims(pool, identity, logins, InternalTokenLifetime, sessionTags);

        // Guests get Cognito's scope-down session policy in the enhanced flow (Amazon Cognito Developer Guide, "Identity pools authentication flow");
        // an expression rule's session policy narrows the role the same way.
        var sessionPolicy = identity.IsAuthenticated ? expression.Match?.SessionPolicy : GuestScopeDown.Policy;
        var mint = new MintRequest(roleArn, claims, SessionName, sessionPolicy, [], duration.Value);
        var minted = await minter.MintAsync(mint, cancellationToken).ConfigureAwait(false);
        if (minted.Credentials is not { } credentials)
        {
            // The unsigned caller gets Cognito's generic message; the operator finds the role and the reason in the log.
            LogMintFailed(logger, pool.IdentityPoolId, roleArn, minted.Failure!.Code, minted.Failure.Detail);
            CallAuditScope.Decided(CredentialDecision.Refused(decided, decision, CognitoErrors.CheckRoles(),
                $"STS refused the role: {minted.Failure.Code}: {minted.Failure.Detail}") with { SessionTags = sessionTags, Inputs = inputs }, pool.IdentityPoolId, identity.IdentityId);
            return CognitoErrors.CheckRoles();
        }

        CallAuditScope.Decided(CredentialDecision.Allowed(decided, decision, sessionTags) with { Inputs = inputs }, pool.IdentityPoolId, identity.IdentityId);
        CallAuditScope.Issued(credentials.AccessKeyId, credentials.Expiration);
        metrics?.CredentialsIssued(pool.IdentityPoolId, roleArn);
        return new IdentityCredentials(identity.IdentityId, credentials);
    }

    /// <summary>A refusal the audit record explains; the caller gets <paramref name="error"/> as before.</summary>
    private static AwsError Refused(IReadOnlyList<DecidedLogin> logins, RoleDecision? role, AwsError error, string reason, string? identityId) =>
        CallAuditScope.Refused(logins, role, error, reason, identityId: identityId);

    [LoggerMessage(EventId = LogEvents.NoRole, Level = LogLevel.Warning, Message = "Pool {PoolId}: no role ({Source}, mapping {MappingKey}): {Reason}")]
    private static partial void LogNoRole(ILogger logger, string poolId, string source, string mappingKey, string reason);

    [LoggerMessage(EventId = LogEvents.PrincipalTagSkipped, Level = LogLevel.Information, Message = "Pool {PoolId}: principal {Skipped}")]
    private static partial void LogTagSkipped(ILogger logger, string poolId, string skipped);

    [LoggerMessage(EventId = LogEvents.MintFailed, Level = LogLevel.Warning, Message = "STS refused role {RoleArn} for pool {PoolId}: {Code}: {Detail}")]
    private static partial void LogMintFailed(ILogger logger, string poolId, string roleArn, string code, string detail);
}
