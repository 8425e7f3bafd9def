using System.Text.RegularExpressions;
using IdentityBroker.Errors;
using IdentityBroker.Mapping;
using IdentityBroker.Storage;

namespace IdentityBroker.Pools;

/// <summary>SetIdentityPoolRoles and GetIdentityPoolRoles, with Cognito's validation and the broker's own role checks.</summary>
public sealed partial class PoolRoleOperations(PoolDirectory pools, ConfiguredProviders providers, RoleTrustCheck trust)
{
    /// <summary>Rules per provider (Cognito quota, not adjustable).</summary>
    public const int MaxRules = 25;

    private IPoolStore Store => pools.Store;

    public async Task<Result<Unit>> SetAsync(SetPoolRoles command, CancellationToken cancellationToken)
    {
        var checkedPool = await CheckAsync(command, cancellationToken).ConfigureAwait(false);
        if (!checkedPool.IsSuccess)
        {
            return checkedPool.Error!;
        }

        var updated = checkedPool.Value;
        if (!await Store.UpdatePoolAsync(updated, cancellationToken).ConfigureAwait(false))
        {
            return CognitoErrors.PoolNotFound(command.IdentityPoolId);
        }

        pools.Invalidate(updated.IdentityPoolId);
        return Unit.Value;
    }

    /// <summary>
    /// Every write-time check of <see cref="SetAsync"/> without the write: the pool as it would be stored, or the error
    /// SetIdentityPoolRoles would answer (the console's review step shows it before anything is saved).
    /// </summary>
    public async Task<Result<IdentityPool>> CheckAsync(SetPoolRoles command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await Store.GetPoolAsync(command.IdentityPoolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return CognitoErrors.PoolNotFound(command.IdentityPoolId);
        }

        if (CheckRoles(command.Roles) is { } badRole)
        {
            return badRole;
        }

        if (await CheckMappingsAsync(pool, command.RoleMappings, cancellationToken).ConfigureAwait(false) is { } badMapping)
        {
            return badMapping;
        }

        var updated = pool with { Roles = new Dictionary<string, string>(command.Roles), RoleMappings = command.RoleMappings is { Count: > 0 } m ? m : null };
        if (await CheckRoleTrustAsync(updated, cancellationToken).ConfigureAwait(false) is { } untrusted)
        {
            return untrusted;
        }

        return updated;
    }

    /// <summary>The pool, whose Roles and RoleMappings the caller answers with.</summary>
    public async Task<Result<IdentityPool>> GetAsync(GetPoolRoles command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await Store.GetPoolAsync(command.IdentityPoolId, cancellationToken).ConfigureAwait(false);
        return pool is null ? CognitoErrors.PoolNotFound(command.IdentityPoolId) : pool;
    }

    /// <summary>The real service answers "Access to Role '…' is forbidden." for a value that is not a usable role ARN (its wording as quoted in public AWS SDK issue reports).</summary>
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
            if (!await providers.IsConfiguredAsync(pool, provider, bareUserPool: false, cancellationToken).ConfigureAwait(false))
            {
                return CognitoErrors.InvalidParameter($"({provider}) is not a valid RoleMapping ProviderName or is not a configured provider.");
            }

            if (mapping.Type == RoleResolver.RulesType && mapping.RulesConfiguration?.Rules is not { Count: > 0 })
            {
                return CognitoErrors.InvalidParameter("RulesConfiguration is required for a role mapping of type Rules.");
            }

            // The model allows 400; the documented quota is 25 rules per provider, not adjustable (Amazon Cognito Developer Guide, "Quotas in Amazon Cognito").
            if (mapping.RulesConfiguration?.Rules is { Count: > MaxRules } rules)
            {
                return CognitoErrors.InvalidParameter(
                    $"The role mapping for {provider} has {rules.Count} rules; at most {MaxRules} rules are allowed per provider.");
            }

            if (mapping.AmbiguousRoleResolution is null)
            {
                return CognitoErrors.InvalidParameter("AmbiguousRoleResolution is required when a role mapping Type is set.");
            }
        }

        return null;
    }

    /// <summary>
    /// The operator checks (better than Cognito; <see cref="RoleTrustCheck"/>). The failure is InvalidParameterException:
    /// the Roles/RoleMappings parameters are what is wrong, and it is an error SetIdentityPoolRoles declares in the model,
    /// so every SDK raises it as a typed exception. Only the signed operator sees the role and the failing condition.
    /// </summary>
    private async Task<AwsError?> CheckRoleTrustAsync(IdentityPool pool, CancellationToken cancellationToken) =>
        await trust.PoolProblemAsync(pool, cancellationToken).ConfigureAwait(false) is { } problem
            ? CognitoErrors.InvalidParameter(problem)
            : null;

    [GeneratedRegex(@"^arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")]
    private static partial Regex RoleArn();
}
