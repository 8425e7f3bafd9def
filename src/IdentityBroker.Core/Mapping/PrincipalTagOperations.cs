using System.Text.RegularExpressions;
using IdentityBroker.Errors;
using IdentityBroker.Pools;

namespace IdentityBroker.Mapping;

/// <summary>
/// SetPrincipalTagAttributeMap and GetPrincipalTagAttributeMap (Amazon Cognito Developer Guide, "Using attributes for access control"; docs/role-mapping.md). Maps live on the pool record
/// (<see cref="IdentityPool.PrincipalTagMaps"/>). UseDefaults stores the provider's default map, answered as its entries;
/// custom maps store tag key → claim name; no UseDefaults and no tags clears the map, after which Get answers
/// ResourceNotFoundException (as reported for Cognito). Tags apply to credentials issued after the change.
/// </summary>
public sealed partial class PrincipalTagOperations(PoolDirectory pools, ConfiguredProviders providers, RoleTrustCheck trust)
{
    public async Task<Result<ProviderPrincipalTags>> SetAsync(SetPrincipalTagMap command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await pools.Store.GetPoolAsync(command.IdentityPoolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return CognitoErrors.PoolNotFound(command.IdentityPoolId);
        }

        var provider = command.IdentityProviderName;
        if (!await providers.IsConfiguredAsync(pool, provider, bareUserPool: true, cancellationToken).ConfigureAwait(false))
        {
            return CognitoErrors.InvalidParameter($"({provider}) is not a valid IdentityProviderName or is not a configured provider.");
        }

        if (command.PrincipalTags?.Keys.FirstOrDefault(k => !TagKey().IsMatch(k)) is { } badKey)
        {
            return CognitoErrors.InvalidParameter($"The principal tag key '{badKey}' is not a valid session tag key.");
        }

        var map = ToMap(command);
        var maps = new Dictionary<string, PrincipalTagMap>(pool.PrincipalTagMaps ?? new Dictionary<string, PrincipalTagMap>(), StringComparer.Ordinal);
        if (map is null)
        {
            maps.Remove(provider);
        }
        else
        {
            maps[provider] = map;
        }

        var updated = pool with { PrincipalTagMaps = maps.Count == 0 ? null : maps };
        if (await trust.PoolProblemAsync(updated, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            return CognitoErrors.InvalidParameter(problem);
        }

        if (!await pools.Store.UpdatePoolAsync(updated, cancellationToken).ConfigureAwait(false))
        {
            return CognitoErrors.PoolNotFound(pool.IdentityPoolId);
        }

        pools.Invalidate(pool.IdentityPoolId);
        return Response(pool.IdentityPoolId, provider, map);
    }

    public async Task<Result<ProviderPrincipalTags>> GetAsync(GetPrincipalTagMap command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await pools.Store.GetPoolAsync(command.IdentityPoolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return CognitoErrors.PoolNotFound(command.IdentityPoolId);
        }

        var provider = command.IdentityProviderName;
        if (pool.PrincipalTagMaps?.GetValueOrDefault(provider) is not { } map)
        {
            return CognitoErrors.ResourceNotFound($"No principal tag attribute map for provider '{provider}' in identity pool '{pool.IdentityPoolId}'.");
        }

        return Response(pool.IdentityPoolId, provider, map);
    }

    private static PrincipalTagMap? ToMap(SetPrincipalTagMap command)
    {
        if (command.UseDefaults)
        {
            return new PrincipalTagMap { UseDefaults = true };
        }

        return command.PrincipalTags is { Count: > 0 } tags
            ? new PrincipalTagMap { PrincipalTags = new Dictionary<string, string>(tags, StringComparer.Ordinal) }
            : null;
    }

    private static ProviderPrincipalTags Response(string poolId, string provider, PrincipalTagMap? map) =>
        new(poolId, provider, map?.UseDefaults ?? false, map is null ? null : new Dictionary<string, string>(PrincipalTagMapper.Entries(provider, map)));

    // sts.service-2.json tagKeyType: what STS will accept as a session tag key.
    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]+\z")]
    private static partial Regex TagKey();
}
