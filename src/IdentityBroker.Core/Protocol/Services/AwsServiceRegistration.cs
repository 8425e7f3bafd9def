using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Protocol.Services;

/// <summary>
/// A service and its route, known without building the service: the host maps REST path prefixes from these at start-up,
/// while the services themselves (and the options they read) are built on the first request.
/// </summary>
public sealed record AwsServiceRegistration(AwsRoute Route, Func<IServiceProvider, IAwsService> Create);

public static class AwsServiceCollectionExtensions
{
    /// <summary>Puts a service behind the edge: this one call is all a new AWS service needs at the HTTP side.</summary>
    public static IServiceCollection AddAwsService<TService>(this IServiceCollection services, AwsRoute route)
        where TService : class, IAwsService
    {
        services.AddSingleton<TService>();
        return services.AddAwsService(route, sp => sp.GetRequiredService<TService>());
    }

    /// <summary>As <see cref="AddAwsService{TService}"/>, for a service built by a factory (one Query handler set per version).</summary>
    public static IServiceCollection AddAwsService(this IServiceCollection services, AwsRoute route, Func<IServiceProvider, IAwsService> create)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(create);
        return services.AddSingleton(new AwsServiceRegistration(route, create));
    }
}
