using IdentityBroker.Errors;
using IdentityBroker.Identities;
using IdentityBroker.Mapping;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Logging;
using IdentityBroker.Observability;

namespace IdentityBroker.Credentials;

/// <summary>GetOpenIdToken (basic flow) and GetCredentialsForIdentity (enhanced flow).</summary>
public sealed partial class CredentialOperations(
    IdentityAccess access, OpenIdTokenIssuer tokens, ICredentialMinter minter, ILogger<CredentialOperations> logger)
{
    /// <summary>What Cognito names the session in enhanced flow (Amazon Cognito Developer Guide, "Identity pools authentication flow").</summary>
    public const string SessionName = "CognitoIdentityCredentials";

    /// <summary>The token handed to STS only needs to outlive the call.</summary>
    private static readonly TimeSpan InternalTokenLifetime = TimeSpan.FromMinutes(5);

    public async Task<Result<IdentityToken>> GetOpenIdTokenAsync(GetOpenIdToken command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var authorized = await access.AuthorizeAsync(command.IdentityId, command.Logins, cancellationToken).ConfigureAwait(false);
        if (!authorized.IsSuccess)
        {
            return authorized.Error!;
        }

        var (pool, identity, logins) = authorized.Value;
        if (pool.AllowClassicFlow == false)
        {
            return CognitoErrors.ClassicFlowDisabled();
        }

        if (pool.RoleMappings is { Count: > 0 } mappings && logins.Any(l => MappingKeys.Find(mappings, MappingLogin.From(l)) is not null))
        {
            return CognitoErrors.InvalidParameter("Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.");
        }

        // Principal tags apply to the basic flow too: STS reads them from the token the client hands it.
        var tags = PrincipalTagMapper.Map(pool, [.. logins.Select(MappingLogin.From)]);
        var token = tokens.Issue(pool, identity, logins, OpenIdTokenIssuer.DefaultLifetime, tags.Tags);
        return new IdentityToken(identity.IdentityId, token.Token);
    }

    public async Task<Result<IdentityCredentials>> GetCredentialsAsync(GetCredentials command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var authorized = await access.AuthorizeAsync(command.IdentityId, command.Logins, cancellationToken).ConfigureAwait(false);
        if (!authorized.IsSuccess)
        {
            return authorized.Error!;
        }

        var (pool, identity, logins) = authorized.Value;
        var mappingLogins = logins.Select(MappingLogin.From).ToList();
        var decision = RoleResolver.Resolve(pool, identity.IsAuthenticated, mappingLogins, command.CustomRoleArn);
        if (decision.RoleArn is not { } roleArn)
        {
            LogNoRole(logger, pool.IdentityPoolId, decision.Source.ToString(), decision.MappingKey ?? "(default roles)", decision.Reason);
            return decision.Error!;
        }

        var tags = PrincipalTagMapper.Map(pool, mappingLogins);
        foreach (var skipped in tags.Skipped)
        {
            LogTagSkipped(logger, pool.IdentityPoolId, skipped);
        }

        var token = tokens.Issue(pool, identity, logins, InternalTokenLifetime, tags.Tags);

        // Guests get Cognito's scope-down session policy in the enhanced flow (Amazon Cognito Developer Guide, "Identity pools authentication flow").
        var scopeDown = identity.IsAuthenticated ? null : GuestScopeDown.Policy;
        var mint = new MintRequest(roleArn, token.Token, SessionName, scopeDown, [], null) { SignedToken = token.Signed };
        var minted = await minter.MintAsync(mint, cancellationToken).ConfigureAwait(false);
        if (minted.Credentials is not { } credentials)
        {
            // The unsigned caller gets Cognito's generic message; the operator finds the role and the reason in the log.
            LogMintFailed(logger, pool.IdentityPoolId, roleArn, minted.Failure!.Code, minted.Failure.Detail);
            return CognitoErrors.CheckRoles();
        }

        return new IdentityCredentials(identity.IdentityId, credentials);
    }

    [LoggerMessage(EventId = LogEvents.NoRole, Level = LogLevel.Warning, Message = "Pool {PoolId}: no role ({Source}, mapping {MappingKey}): {Reason}")]
    private static partial void LogNoRole(ILogger logger, string poolId, string source, string mappingKey, string reason);

    [LoggerMessage(EventId = LogEvents.PrincipalTagSkipped, Level = LogLevel.Information, Message = "Pool {PoolId}: principal {Skipped}")]
    private static partial void LogTagSkipped(ILogger logger, string poolId, string skipped);

    [LoggerMessage(EventId = LogEvents.MintFailed, Level = LogLevel.Warning, Message = "STS refused role {RoleArn} for pool {PoolId}: {Code}: {Detail}")]
    private static partial void LogMintFailed(ILogger logger, string poolId, string roleArn, string code, string detail);
}
