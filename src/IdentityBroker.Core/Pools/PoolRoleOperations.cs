using System.Text.RegularExpressions;
using IdentityBroker.Errors;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Storage;

namespace IdentityBroker.Pools;

/// <summary>SetIdentityPoolRoles and GetIdentityPoolRoles. Role mappings are stored and returned; a later issue evaluates them.</summary>
public sealed partial class PoolRoleOperations(PoolDirectory pools, IIamStore iam)
{
    private IPoolStore Store => pools.Store;

    public async Task<Result<Unit>> SetAsync(SetIdentityPoolRolesRequest request, CancellationToken cancellationToken)
    {
        var pool = await Store.GetPoolAsync(request.IdentityPoolId!, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return CognitoErrors.PoolNotFound(request.IdentityPoolId!);
        }

        if (CheckRoles(request.Roles!) is { } badRole)
        {
            return badRole;
        }

        if (await CheckMappingsAsync(pool, request.RoleMappings, cancellationToken).ConfigureAwait(false) is { } badMapping)
        {
            return badMapping;
        }

        var updated = pool with { Roles = new Dictionary<string, string>(request.Roles!), RoleMappings = request.RoleMappings is { Count: > 0 } m ? m : null };
        if (!await Store.UpdatePoolAsync(updated, cancellationToken).ConfigureAwait(false))
        {
            return CognitoErrors.PoolNotFound(request.IdentityPoolId!);
        }

        pools.Invalidate(updated.IdentityPoolId);
        return Unit.Value;
    }

    public async Task<Result<GetIdentityPoolRolesResponse>> GetAsync(IdentityPoolIdRequest request, CancellationToken cancellationToken)
    {
        var pool = await Store.GetPoolAsync(request.IdentityPoolId!, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return CognitoErrors.PoolNotFound(request.IdentityPoolId!);
        }

        return new GetIdentityPoolRolesResponse
        {
            IdentityPoolId = pool.IdentityPoolId,
            Roles = pool.Roles.Count == 0 ? null : new(pool.Roles),
            RoleMappings = pool.RoleMappings is { Count: > 0 } m ? new(m) : null,
        };
    }

    /// <summary>The real service answers "Access to Role '…' is forbidden." for a value that is not a usable role ARN (notes §1.2).</summary>
    private static AwsError? CheckRoles(IReadOnlyDictionary<string, string> roles)
    {
        foreach (var arn in roles.Values)
        {
            if (!RoleArn().IsMatch(arn))
            {
                return CognitoErrors.NotAuthorized($"Access to Role '{arn}' is forbidden.");
            }
        }

        return null;
    }

    private async Task<AwsError?> CheckMappingsAsync(IdentityPool pool, IReadOnlyDictionary<string, RoleMapping>? mappings, CancellationToken cancellationToken)
    {
        foreach (var (provider, mapping) in mappings ?? new Dictionary<string, RoleMapping>())
        {
            if (!await IsConfiguredProviderAsync(pool, provider, cancellationToken).ConfigureAwait(false))
            {
                return CognitoErrors.InvalidParameter($"({provider}) is not a valid RoleMapping ProviderName or is not a configured provider.");
            }

            if (mapping.Type == "Rules" && mapping.RulesConfiguration?.Rules is not { Count: > 0 })
            {
                return CognitoErrors.InvalidParameter("RulesConfiguration is required for a role mapping of type Rules.");
            }

            if (mapping.AmbiguousRoleResolution is null)
            {
                return CognitoErrors.InvalidParameter("AmbiguousRoleResolution is required when a role mapping Type is set.");
            }
        }

        return null;
    }

    /// <summary>A RoleMappings key is a Logins key of the pool, a user-pool provider with its client id, or an OIDC provider ARN.</summary>
    private async Task<bool> IsConfiguredProviderAsync(IdentityPool pool, string provider, CancellationToken cancellationToken)
    {
        if (pool.SupportedLoginProviders?.ContainsKey(provider) == true
            || pool.SamlProviderARNs?.Contains(provider) == true
            || pool.CognitoIdentityProviders?.Any(p => $"{p.ProviderName}:{p.ClientId}" == provider) == true)
        {
            return true;
        }

        foreach (var arn in pool.OpenIdConnectProviderARNs ?? [])
        {
            var oidc = await iam.GetOidcProviderAsync(arn, cancellationToken).ConfigureAwait(false);
            if (arn == provider || oidc?.ProviderKey == provider)
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")]
    private static partial Regex RoleArn();
}
