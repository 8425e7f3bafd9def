using System.Collections.Concurrent;
using System.Reflection;
using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Configuration;

/// <summary>The broker's service registrations, kept so that a plan can rebuild the operations over staged stores.</summary>
public sealed class ServiceRegistrations(IServiceCollection services)
{
    private readonly Dictionary<Type, ServiceDescriptor> _last = services.GroupBy(d => d.ServiceType).ToDictionary(g => g.Key, g => g.Last());

    /// <summary>The type the container would build for <paramref name="serviceType"/>; null for factories, instances and unknown types.</summary>
    public Type? ImplementationOf(Type serviceType)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (_last.TryGetValue(serviceType, out var descriptor))
        {
            return descriptor.IsKeyedService ? null : descriptor.ImplementationType;
        }

        // A concrete broker class asked for by type (an IAM handler registered under its interface, say).
        return serviceType is { IsClass: true, IsAbstract: false, IsGenericType: false } && serviceType.Namespace?.StartsWith("IdentityBroker", StringComparison.Ordinal) == true
            ? serviceType
            : null;
    }
}

/// <summary>
/// The broker's own services, rebuilt over a <see cref="StagedConfigurationStore"/>: every registered class whose constructor
/// reaches <see cref="IPoolStore"/>, <see cref="IIamStore"/>, <see cref="ISamlProviderStore"/>, <see cref="IUserPoolStore"/> or
/// <see cref="IUserPoolGroupStore"/> or IResourceServerStore (directly or through other
/// classes) is created anew here with the staged stores; everything else (options, clock, authorizer, the other stores) is
/// the running broker's. So a plan runs the very operation classes and validators of the API, and cannot write.
/// </summary>
public sealed class ConfigurationSandbox(IServiceProvider root, ServiceRegistrations registrations, StagedConfigurationStore staged) : IServiceProvider
{
    private static readonly Type[] StagedContracts =
        [typeof(IPoolStore), typeof(IIamStore), typeof(ISamlProviderStore), typeof(IUserPoolStore), typeof(IUserPoolGroupStore),
         typeof(UserPools.ResourceServers.IResourceServerStore)];
    private static readonly ConcurrentDictionary<Type, bool> Reaches = new();

    private readonly Dictionary<Type, object> _built = [];

    public object? GetService(Type serviceType)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceType == typeof(IServiceProvider))
        {
            return this;
        }

        if (StagedContracts.Contains(serviceType) || serviceType == typeof(StagedConfigurationStore))
        {
            return staged;
        }

        if (_built.TryGetValue(serviceType, out var built))
        {
            return built;
        }

        if (registrations.ImplementationOf(serviceType) is { } implementation && ReachesStores(implementation, []))
        {
            var instance = ActivatorUtilities.CreateInstance(this, implementation);
            _built[serviceType] = instance;
            return instance;
        }

        return root.GetService(serviceType);
    }

    private bool ReachesStores(Type implementation, HashSet<Type> visiting)
    {
        if (Reaches.TryGetValue(implementation, out var known))
        {
            return known;
        }

        if (!visiting.Add(implementation))
        {
            return false;
        }

        var reaches = Constructor(implementation)?.GetParameters().Any(p =>
            StagedContracts.Contains(p.ParameterType)
            || (registrations.ImplementationOf(p.ParameterType) is { } dependency && ReachesStores(dependency, visiting))) == true;
        Reaches[implementation] = reaches;
        return reaches;
    }

    /// <summary>The constructor ActivatorUtilities prefers: the public one with the most parameters.</summary>
    private static ConstructorInfo? Constructor(Type type) =>
        type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
}
