using IdentityBroker.Storage;
using IdentityBroker.UserPools.Federation;
using IdentityBroker.UserPools.OAuth;

namespace IdentityBroker.Server.HostedUi;

/// <summary>One provider button of the login page: where it leads, the provider's name, and whether it is a social provider.</summary>
internal sealed record ProviderButton(string Href, string ProviderName, bool Social);

/// <summary>
/// The login page's buttons (Cognito's classic hosted UI: <c>idpButton-customizable</c> for OIDC and SAML providers,
/// <c>socialButton-customizable</c> for the social ones): one per provider of the pool that the client's
/// SupportedIdentityProviders allow, each leading to <c>/oauth2/authorize?identity_provider=&lt;name&gt;</c> with the
/// page's authorize query, so the federated sign-in starts from the same validated request.
/// </summary>
internal static class ProviderButtons
{
    /// <summary>A pool has at most a few dozen providers; this bounds the pages read for one login page.</summary>
    private const int PageSize = 60;
    private const int MaxPages = 5;

    private static readonly HashSet<string> SocialTypes = new(StringComparer.Ordinal) { "Google", "Facebook", "LoginWithAmazon", "SignInWithApple" };

    public static async Task<IReadOnlyList<ProviderButton>> ForAsync(HostedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var supported = call.Client.Settings.SupportedIdentityProviders;
        if (supported is not { Count: > 0 })
        {
            return [];
        }

        var store = call.Http.RequestServices.GetRequiredService<IUserPoolIdentityProviderStore>();
        var buttons = new List<ProviderButton>();
        string? next = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var listed = await store.ListProvidersAsync(call.Pool.Id, PageSize, next, call.Http.RequestAborted).ConfigureAwait(false);
            buttons.AddRange(listed.Items.Where(p => supported.Contains(p.ProviderName, StringComparer.Ordinal)).Select(p => Button(call, p)));
            next = listed.NextToken;
            if (next is null)
            {
                break;
            }
        }

        return buttons;
    }

    private static ProviderButton Button(HostedCall call, PoolIdentityProvider provider)
    {
        // The page's own request may name a provider (identity_provider=COGNITO); the button names its own instead.
        var request = call.Authorize.Request with { IdentityProvider = provider.ProviderName, IdpIdentifier = null };
        return new ProviderButton("/oauth2/authorize?" + request.ToQueryString(), provider.ProviderName, SocialTypes.Contains(provider.ProviderType));
    }
}
