using IdentityBroker.UserPools.Domains;
using IdentityBroker.UserPools.OAuth;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.OAuth;

/// <summary>The pools' domains and OAuth 2.0 / OpenID Connect endpoints (docs/user-pools.md, "Domains and OAuth 2.0").</summary>
internal static class OAuthRegistration
{
    public static IServiceCollection AddUserPoolOAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<UserPoolDomainOptions>, UserPoolDomainOptionsValidation>();
        services.AddOptions<UserPoolDomainOptions>().Bind(configuration.GetSection(UserPoolDomainOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<DomainHosts>();
        services.AddSingleton<UserPoolDomainOperations>();
        services.AddSingleton<IdentityBroker.UserPools.ResourceServers.ResourceServerOperations>();
        services.AddSingleton<IdentityBroker.Protocol.Json.UserPoolOAuthWire>();
        services.AddSingleton<AuthorizeRequests>();
        services.AddSingleton<AuthorizationCodes>();
        services.AddSingleton<AuthorizationCompletion>();
        services.AddSingleton<HostedSessionTickets>();
        services.AddSingleton<HostedSessions>();
        services.AddSingleton<ClientCredentialsTokens>();
        services.AddSingleton<TokenGrants>();
        return services;
    }

    /// <summary>The OAuth endpoints in the domain group (<see cref="DomainRouting.MapUserPoolDomain"/>).</summary>
    public static void MapUserPoolOAuth(this WebApplication app)
    {
        var domain = app.MapUserPoolDomain();
        domain.MapAuthorize();
        domain.MapTokenEndpoints();
        domain.MapDomainEndpoints();
        PoolFederation.FederationEndpoints.MapPoolFederation(domain);
    }
}
