using IdentityBroker.Storage;
using IdentityBroker.Sts;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Hosting;

/// <summary>
/// <c>Broker:Store</c> and <c>Broker:Sts:Mode</c>, read before any service is registered: the store decides which
/// services exist. A mode is one of its names, in any case; anything else (a number included, which the configuration
/// binder would accept) stops the start with the key and the choices named.
/// </summary>
internal static class BrokerModes
{
    private const string StoreKey = $"{BrokerOptions.SectionName}:{nameof(BrokerOptions.Store)}";
    private const string StsModeKey = $"{BrokerOptions.SectionName}:{nameof(BrokerOptions.Sts)}:{nameof(StsOptions.Mode)}";

    /// <exception cref="OptionsValidationException">A mode is set to something that is not one of its names.</exception>
    public static StoreKind Read(IConfiguration configuration)
    {
        var failures = new List<string>();
        var store = Parse(configuration[StoreKey], StoreKind.Sqlite);
        if (store is null)
        {
            failures.Add($"{StoreKey} '{configuration[StoreKey]}' is not available: use 'sqlite' or 'redis'.");
        }

        if (Parse(configuration[StsModeKey], StsMode.Embedded) is null)
        {
            failures.Add($"{StsModeKey} must be 'embedded' or 'aws', not '{configuration[StsModeKey]}'.");
        }

        return failures.Count == 0 ? store!.Value : throw new OptionsValidationException(BrokerOptions.SectionName, typeof(BrokerOptions), failures);
    }

    /// <returns>The named member, <paramref name="unset"/> when the key is absent, null for anything else.</returns>
    internal static TMode? Parse<TMode>(string? value, TMode unset)
        where TMode : struct, Enum
    {
        if (value is null)
        {
            return unset;
        }

        var name = Array.Find(Enum.GetNames<TMode>(), n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
        return name is null ? null : Enum.Parse<TMode>(name);
    }
}
