namespace IdentityBroker.Server.Console;

/// <summary>The console at /console (docs/console.md): Razor components rendered on the server, its session and its sign-in check.</summary>
internal static class ConsoleRegistration
{
    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<ConsoleSignIn>();
        services.AddSingleton<ConsoleSecurity>();
        services.AddSingleton<ConsoleAudit>();
        return services;
    }
}
