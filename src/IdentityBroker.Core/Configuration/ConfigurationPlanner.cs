using IdentityBroker.Federation.Oidc;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Iam;
using IdentityBroker.Observability;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Configuration;

/// <summary>
/// export, plan and apply of the whole broker's configuration (docs/config-as-code.md). A plan reads the stored state, diffs
/// the document against its export, and makes the document's changes through the broker's own operations over a staged copy
/// (<see cref="ConfigurationSandbox"/>), so it reports exactly the errors the API would. An apply writes the plan's staged
/// state in one all-or-nothing store call that first checks every resource is still as the plan read it.
/// </summary>
public sealed partial class ConfigurationPlanner(
    IServiceProvider services,
    ServiceRegistrations registrations,
    IPoolStore pools,
    IIamStore iam,
    ISamlProviderStore saml,
    IUserPoolStore userPools,
    IUserPoolGroupStore groups,
    UserPools.ResourceServers.IResourceServerStore servers,
    IConfigurationStore store,
    PoolDirectory directory,
    IOptions<BrokerOptions> options,
    ILogger<ConfigurationPlanner> logger)
{
    public async Task<BrokerDocument> ExportAsync(CancellationToken cancellationToken) =>
        ConfigurationExport.ToDocument(await ReadAsync(cancellationToken).ConfigureAwait(false));

    public async Task<ConfigurationPlan> PlanAsync(BrokerDocument proposed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        var current = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var currentDocument = ConfigurationExport.ToDocument(current);
        ConfigurationDiff.ResolveNames(proposed, current, options.Value.AccountId);
        var changes = ConfigurationDiff.Compare(currentDocument, proposed);
        var staged = new StagedConfigurationStore(current);
        var replay = new ConfigurationReplay(new ConfigurationSandbox(services, registrations, staged), staged, options.Value.AccountId);
        await replay.RunAsync(currentDocument, proposed, cancellationToken).ConfigureAwait(false);
        return new ConfigurationPlan(changes, replay.Problems, current, staged.State);
    }

    public async Task<ConfigurationApply> ApplyAsync(BrokerDocument proposed, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(proposed, cancellationToken).ConfigureAwait(false);
        if (!plan.IsValid)
        {
            return new ConfigurationApply(ApplyOutcome.Refused, plan, null);
        }

        var changes = new ConfigurationChanges(
            Changed(plan.Current.Roles, plan.Proposed.Roles, r => r.RoleName),
            Changed(plan.Current.OidcProviders, plan.Proposed.OidcProviders, p => p.Arn),
            Changed(plan.Current.SamlProviders, plan.Proposed.SamlProviders, p => p.Arn),
            Changed(plan.Current.Pools, plan.Proposed.Pools, p => p.IdentityPoolId))
        {
            UserPools = new UserPoolChanges(
                Changed(plan.Current.UserPools, plan.Proposed.UserPools, p => p.Id),
                Changed(plan.Current.UserPoolClients, plan.Proposed.UserPoolClients, c => StagedConfigurationStore.ClientKey(c.UserPoolId, c.ClientId)),
                Changed(plan.Current.UserPoolGroups, plan.Proposed.UserPoolGroups, g => StagedConfigurationStore.GroupKey(g.UserPoolId, g.GroupName)))
            {
                ResourceServers = Changed(plan.Current.ResourceServers, plan.Proposed.ResourceServers, r => StagedConfigurationStore.ClientKey(r.UserPoolId, r.Identifier)),
            },
        };
        if (changes.IsEmpty)
        {
            return new ConfigurationApply(ApplyOutcome.NoChanges, plan, null);
        }

        var write = await store.ApplyConfigurationAsync(changes, cancellationToken).ConfigureAwait(false);
        Invalidate(changes);
        if (!write.Applied)
        {
            LogInterfered(logger, string.Join(", ", write.Interfered), write.LeftChanged.Count);
            return new ConfigurationApply(ApplyOutcome.Interfered, plan, write);
        }

        LogApplied(logger, plan.Changes.Count);
        return new ConfigurationApply(ApplyOutcome.Applied, plan, write);
    }

    private Task<ConfigurationState> ReadAsync(CancellationToken cancellationToken) =>
        ConfigurationState.ReadAsync(pools, iam, saml, userPools, groups, servers, cancellationToken);

    /// <summary>The caches in front of the stores drop what changed, whether or not the write went through.</summary>
    private void Invalidate(ConfigurationChanges changes)
    {
        foreach (var pool in changes.Pools)
        {
            directory.Invalidate(pool.Key);
        }

        services.GetService<OidcProviderDirectory>()?.Invalidate();
        services.GetService<SamlProviderDirectory>()?.Invalidate();
    }

    /// <summary>The resources whose stored value differs between the two states, compared as stored.</summary>
    private static List<StoredChange<T>> Changed<T>(IReadOnlyList<T> current, IReadOnlyList<T> proposed, Func<T, string> key)
        where T : class
    {
        var before = current.ToDictionary(key, StringComparer.Ordinal);
        var after = proposed.ToDictionary(key, StringComparer.Ordinal);
        return before.Keys.Union(after.Keys, StringComparer.Ordinal)
            .Select(k => new StoredChange<T>(k, before.GetValueOrDefault(k), after.GetValueOrDefault(k)))
            .Where(c => ConfigurationDiff.Json(c.Before) != ConfigurationDiff.Json(c.After))
            .ToList();
    }

    [LoggerMessage(EventId = LogEvents.ConfigurationApplied, Level = LogLevel.Information, Message = "Configuration applied: {Resources} resources changed.")]
    private static partial void LogApplied(ILogger logger, int resources);

    [LoggerMessage(EventId = LogEvents.ConfigurationInterfered, Level = LogLevel.Warning,
        Message = "Configuration apply refused: another writer changed {Resources}; {LeftChanged} resources could not be restored.")]
    private static partial void LogInterfered(ILogger logger, string resources, int leftChanged);
}
