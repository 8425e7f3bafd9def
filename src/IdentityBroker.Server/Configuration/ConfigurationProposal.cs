using IdentityBroker.Configuration;
using IdentityBroker.Errors;
using IdentityBroker.Pools;

namespace IdentityBroker.Server.Configuration;

/// <summary>
/// One identity pool as a proposed configuration document would leave it, for what-if replay: the document is planned
/// exactly as <c>plan</c> does (names resolved, every change made through the broker's own operations over a staged copy),
/// and the staged pool is the proposal. A document the checks refuse is refused here with the plan's problems.
/// </summary>
internal static class ConfigurationProposal
{
    /// <summary>At most this many problems are quoted in the error; the plan endpoint lists them all.</summary>
    private const int QuotedProblems = 5;

    public static async Task<Result<IdentityPool>> PoolAsync(ConfigurationPlanner planner, string text, string poolId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planner);
        var document = ConfigurationYaml.Read(text);
        if (!document.IsSuccess)
        {
            return document.Error!;
        }

        var plan = await planner.PlanAsync(document.Value, cancellationToken).ConfigureAwait(false);
        if (!plan.IsValid)
        {
            var quoted = plan.Problems.Take(QuotedProblems).Select(p => $"{p.Kind} {p.Name}: {p.Code}: {p.Message}");
            return CognitoErrors.InvalidParameter(
                $"The configuration is refused by its checks ({plan.Problems.Count} problems; POST /admin/api/config/plan lists them): {string.Join(" | ", quoted)}");
        }

        return plan.Proposed.Pools.FirstOrDefault(p => p.IdentityPoolId == poolId) is { } pool
            ? pool
            : CognitoErrors.InvalidParameter($"The configuration has no identity pool {poolId}.");
    }
}
