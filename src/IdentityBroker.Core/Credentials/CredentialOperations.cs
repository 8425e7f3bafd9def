using IdentityBroker.Errors;
using IdentityBroker.Identities;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Logging;

namespace IdentityBroker.Credentials;

/// <summary>GetOpenIdToken (basic flow) and GetCredentialsForIdentity (enhanced flow).</summary>
public sealed partial class CredentialOperations(
    IdentityAccess access, OpenIdTokenIssuer tokens, ICredentialMinter minter, ILogger<CredentialOperations> logger)
{
    /// <summary>What Cognito names the session in enhanced flow (notes §5).</summary>
    public const string SessionName = "CognitoIdentityCredentials";

    /// <summary>The token handed to STS only needs to outlive the call.</summary>
    private static readonly TimeSpan InternalTokenLifetime = TimeSpan.FromMinutes(5);

    public async Task<Result<GetOpenIdTokenResponse>> GetOpenIdTokenAsync(GetOpenIdTokenRequest request, CancellationToken cancellationToken)
    {
        var authorized = await access.AuthorizeAsync(request.IdentityId!, request.Logins, cancellationToken).ConfigureAwait(false);
        if (!authorized.IsSuccess)
        {
            return authorized.Error!;
        }

        var (pool, identity, logins) = authorized.Value;
        if (pool.AllowClassicFlow == false)
        {
            return CognitoErrors.ClassicFlowDisabled();
        }

        if (pool.RoleMappings is { Count: > 0 } mappings && logins.Any(l => mappings.ContainsKey(l.ProviderKey)))
        {
            return CognitoErrors.InvalidParameter("Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.");
        }

        var token = tokens.Issue(pool, identity, logins, OpenIdTokenIssuer.DefaultLifetime);
        return new GetOpenIdTokenResponse { IdentityId = identity.IdentityId, Token = token.Token };
    }

    public async Task<Result<GetCredentialsForIdentityResponse>> GetCredentialsAsync(GetCredentialsForIdentityRequest request, CancellationToken cancellationToken)
    {
        var authorized = await access.AuthorizeAsync(request.IdentityId!, request.Logins, cancellationToken).ConfigureAwait(false);
        if (!authorized.IsSuccess)
        {
            return authorized.Error!;
        }

        var (pool, identity, logins) = authorized.Value;
        var roleArn = pool.RoleFor(identity.IsAuthenticated);
        if (roleArn is null)
        {
            LogNoRole(logger, pool.IdentityPoolId, identity.IsAuthenticated ? "authenticated" : "unauthenticated");
            return CognitoErrors.CheckRoles();
        }

        if (request.CustomRoleArn is { } custom && custom != roleArn)
        {
            return CognitoErrors.NotAuthorized($"Access to Role '{custom}' is forbidden.");
        }

        var token = tokens.Issue(pool, identity, logins, InternalTokenLifetime);
        var minted = await minter.MintAsync(new MintRequest(roleArn, token.Token, SessionName, null, [], null), cancellationToken).ConfigureAwait(false);
        if (minted.Credentials is not { } credentials)
        {
            // The unsigned caller gets Cognito's generic message; the operator finds the reason in the log.
            LogMintFailed(logger, pool.IdentityPoolId, roleArn, minted.Failure!.Code, minted.Failure.Detail);
            return CognitoErrors.CheckRoles();
        }

        return new GetCredentialsForIdentityResponse
        {
            IdentityId = identity.IdentityId,
            Credentials = new CredentialsShape
            {
                AccessKeyId = credentials.AccessKeyId,
                SecretKey = credentials.SecretAccessKey,
                SessionToken = credentials.SessionToken,
                Expiration = IdentityIds.EpochSeconds(credentials.Expiration),
            },
        };
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Pool {PoolId} has no {RoleType} role: GetCredentialsForIdentity refused")]
    private static partial void LogNoRole(ILogger logger, string poolId, string roleType);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "STS refused role {RoleArn} for pool {PoolId}: {Code}: {Detail}")]
    private static partial void LogMintFailed(ILogger logger, string poolId, string roleArn, string code, string detail);
}
