using IdentityBroker.UserPools.HostedUi;

namespace IdentityBroker.Storage;

/// <summary>
/// The hosted UI customizations of the user pools, keyed by pool and client id (or <see cref="UiCustomization.AllClients"/>).
/// Deleting a pool deletes its customizations.
/// </summary>
public interface IUiCustomizationStore
{
    /// <summary>Creates or replaces the customization of its pool and client.</summary>
    Task PutUiCustomizationAsync(UiCustomization customization, CancellationToken cancellationToken);

    Task<UiCustomization?> GetUiCustomizationAsync(string userPoolId, string clientId, CancellationToken cancellationToken);

    /// <returns>False when there was none.</returns>
    Task<bool> DeleteUiCustomizationAsync(string userPoolId, string clientId, CancellationToken cancellationToken);
}
