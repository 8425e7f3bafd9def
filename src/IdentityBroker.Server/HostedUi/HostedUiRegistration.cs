using IdentityBroker.Protocol.Json;
using IdentityBroker.UserPools.HostedUi;

namespace IdentityBroker.Server.HostedUi;

/// <summary>The hosted UI: its pages, their CSRF tokens, the hosted sign-in, and Set/GetUICustomization (docs/user-pools.md, "Hosted UI").</summary>
internal static class HostedUiRegistration
{
    public static IServiceCollection AddHostedUi(this IServiceCollection services)
    {
        services.AddSingleton<UiCustomizationOperations>();
        services.AddSingleton<UiCustomizationWire>();
        services.AddSingleton<CsrfTokens>();
        services.AddSingleton<HostedSignIn>();
        services.AddSingleton<SignUpTickets>();
        services.AddSingleton<HostedViews>();
        services.AddSingleton<SignInPages>();
        services.AddSingleton<AccountPages>();
        return services;
    }
}
