using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Mapping.Expressions;

/// <summary>
/// Compiled rule sets, one per pool version: the pool directory hands out the same pool object for a while (so the same
/// rules list: found by reference), and a pool read again from the store is recompiled only when its rules changed.
/// </summary>
public sealed class ExpressionRuleSets
{
    private readonly ConditionalWeakTable<IReadOnlyList<ExpressionRule>, CompiledRuleSet> _byList = [];
    private readonly ConcurrentDictionary<string, Compiled> _byPool = new(StringComparer.Ordinal);

    public CompiledRuleSet For(IdentityPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.ExpressionRules is not { Count: > 0 } rules)
        {
            return CompiledRuleSet.Empty;
        }

        if (_byList.TryGetValue(rules, out var known))
        {
            return known;
        }

        var text = JsonSerializer.Serialize(rules, StoreJsonContext.Default.IReadOnlyListExpressionRule);
        if (!_byPool.TryGetValue(pool.IdentityPoolId, out var compiled) || compiled.Text != text)
        {
            var (set, problems) = ExpressionRuleCompiler.Compile(rules);
            compiled = new Compiled(text, set ?? new CompiledRuleSet([], string.Join(" ", problems)));
            if (_byPool.Count > 10_000)
            {
                _byPool.Clear();
            }

            _byPool[pool.IdentityPoolId] = compiled;
        }

        _byList.AddOrUpdate(rules, compiled.Set);
        return compiled.Set;
    }

    private sealed record Compiled(string Text, CompiledRuleSet Set);
}
