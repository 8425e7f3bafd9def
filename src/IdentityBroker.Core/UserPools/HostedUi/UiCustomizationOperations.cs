using IdentityBroker.Errors;
using IdentityBroker.Storage;

namespace IdentityBroker.UserPools.HostedUi;

/// <summary>
/// SetUICustomization and GetUICustomization, and the customization a hosted page shows (<see cref="ForPageAsync"/>).
/// Set: the pool → the client (unless ALL) → the CSS through <see cref="UiCss"/> → the logo's format → store. CSS and logo
/// are set together, as in Cognito ("You can't set CSS and logo customization separately"); a Set with neither removes
/// the client's own customization, so that it falls back to the pool's again.
/// </summary>
public sealed class UiCustomizationOperations(IUserPoolStore pools, IUiCustomizationStore store, TimeProvider time)
{
    /// <summary>Cognito's size limits: CSS and logo each at most 131072 characters or bytes (CSSType, ImageFileType).</summary>
    public const int MaxSize = 131072;

    public async Task<Result<UiCustomization>> SetAsync(SetUiCustomization command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var clientId = command.ClientId ?? UiCustomization.AllClients;
        if (await FindAsync(command.UserPoolId, clientId, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        if (command.Css is { } css && UiCss.Sanitize(css) is { IsSuccess: false } refused)
        {
            return refused.Error!;
        }

        UiLogo? logo = null;
        if (command.ImageFile is { Length: > 0 } image && (logo = UiLogo.From(image)) is null)
        {
            return UserPoolErrors.InvalidParameter("The image file must be a PNG or JPEG image.");
        }

        var now = time.GetUtcNow();
        var existing = await store.GetUiCustomizationAsync(command.UserPoolId, clientId, cancellationToken).ConfigureAwait(false);
        var customization = new UiCustomization(command.UserPoolId, clientId, NullIfEmpty(command.Css), logo, existing?.CreationDate ?? now, now);
        if (customization.Css is null && logo is null)
        {
            await store.DeleteUiCustomizationAsync(command.UserPoolId, clientId, cancellationToken).ConfigureAwait(false);
            return customization;
        }

        await store.PutUiCustomizationAsync(customization, cancellationToken).ConfigureAwait(false);
        return customization;
    }

    /// <summary>The client's own customization, else the pool's (ALL); an empty one (no CSS, no logo) when neither is set.</summary>
    public async Task<Result<UiCustomization>> GetAsync(GetUiCustomization command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var clientId = command.ClientId ?? UiCustomization.AllClients;
        if (await FindAsync(command.UserPoolId, clientId, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        return await ForPageAsync(command.UserPoolId, clientId, cancellationToken).ConfigureAwait(false)
            ?? new UiCustomization(command.UserPoolId, clientId, null, null, default, default);
    }

    /// <summary>What the hosted pages of <paramref name="clientId"/> show: its own customization, else the pool's, else none.</summary>
    public async Task<UiCustomization?> ForPageAsync(string userPoolId, string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        return (clientId == UiCustomization.AllClients ? null
                : await store.GetUiCustomizationAsync(userPoolId, clientId, cancellationToken).ConfigureAwait(false))
            ?? await store.GetUiCustomizationAsync(userPoolId, UiCustomization.AllClients, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AwsError?> FindAsync(string userPoolId, string clientId, CancellationToken cancellationToken)
    {
        if (await pools.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UserPoolErrors.UserPoolNotFound(userPoolId);
        }

        return clientId != UiCustomization.AllClients
            && await pools.GetClientAsync(userPoolId, clientId, cancellationToken).ConfigureAwait(false) is null
            ? UserPoolErrors.ClientNotFound(clientId)
            : null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
