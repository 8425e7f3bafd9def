using IdentityBroker.Errors;
using IdentityBroker.Pools;

namespace IdentityBroker.Mapping.Expressions;

/// <summary>
/// Reads and replaces a pool's expression rules (<c>GET</c>/<c>PUT /admin/api/pools/{id}/rules</c>). A write compiles and
/// type-checks every rule (each problem names the rule and the position) and runs the role trust checks on the rules
/// whose Role is a literal ARN, before anything is stored; a refused write changes nothing.
/// </summary>
public sealed class ExpressionRuleOperations(PoolDirectory pools, RoleTrustCheck trust)
{
    public async Task<Result<IReadOnlyList<ExpressionRule>>> GetAsync(string poolId, CancellationToken cancellationToken)
    {
        var pool = await pools.Store.GetPoolAsync(poolId, cancellationToken).ConfigureAwait(false);
        return pool is null ? CognitoErrors.PoolNotFound(poolId) : Result<IReadOnlyList<ExpressionRule>>.Ok(pool.ExpressionRules ?? []);
    }

    public async Task<Result<IReadOnlyList<ExpressionRule>>> SetAsync(string poolId, IReadOnlyList<ExpressionRule> rules, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var pool = await pools.Store.GetPoolAsync(poolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return CognitoErrors.PoolNotFound(poolId);
        }

        var (_, problems) = ExpressionRuleCompiler.Compile(rules);
        if (problems.Count > 0)
        {
            return CognitoErrors.InvalidParameter(string.Join(" ", problems));
        }

        var updated = pool with { ExpressionRules = rules.Count == 0 ? null : rules };
        foreach (var use in await trust.ExpressionRuleUsesAsync(updated, cancellationToken).ConfigureAwait(false))
        {
            if (await trust.ProblemAsync(updated, use, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                return CognitoErrors.InvalidParameter(problem);
            }
        }

        if (!await pools.Store.UpdatePoolAsync(updated, cancellationToken).ConfigureAwait(false))
        {
            return CognitoErrors.PoolNotFound(poolId);
        }

        pools.Invalidate(poolId);
        return Result<IReadOnlyList<ExpressionRule>>.Ok(updated.ExpressionRules ?? []);
    }
}
