using System.Diagnostics;
using IdentityBroker.Credentials;
using IdentityBroker.Federation;
using IdentityBroker.Federation.Developer;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Federation.Social;
using IdentityBroker.Federation.UserPools;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Iam.Roles;
using IdentityBroker.Iam.SamlProviders;
using IdentityBroker.Identities;
using IdentityBroker.Identities.Developer;
using IdentityBroker.Identities.Linking;
using IdentityBroker.Configuration;
using IdentityBroker.Server.Configuration;
using IdentityBroker.Mapping;
using IdentityBroker.Observability;
using IdentityBroker.Policies;
using IdentityBroker.Pools;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Server.Admin;
using IdentityBroker.Server.Audit;
using IdentityBroker.Server.Connections;
using IdentityBroker.Server.Console;
using IdentityBroker.Server.HostedUi;
using IdentityBroker.Server.Hosting;
using IdentityBroker.Server.Keys;
using IdentityBroker.Server.Lifecycle;
using IdentityBroker.Server.Limits;
using IdentityBroker.Server.Messages;
using IdentityBroker.Server.OAuth;
using IdentityBroker.Server.Observability;
using IdentityBroker.Server.PoolFederation;
using IdentityBroker.Server.PoolUsers;
using IdentityBroker.Server.Revocations;
using IdentityBroker.Server.Sync;
using IdentityBroker.Server.Sync.Delivery;
using IdentityBroker.Server.Triggers;
using IdentityBroker.Storage;
using IdentityBroker.Storage.Redis;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Sts;
using IdentityBroker.Tokens;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server;

/// <summary>Builds the broker host; Program runs it, integration tests start it on a loopback port.</summary>
public static class BrokerApp
{
    private static readonly AwsRoute StsRoute = AwsRoute.QueryVersion("sts", "2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/");
    private static readonly AwsRoute IamRoute = AwsRoute.QueryVersion("iam", "2010-05-08", "https://iam.amazonaws.com/doc/2010-05-08/");

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json is read from the application's folder wherever the broker is started; the current directory
        // is the user's, for a relative Broker:DataDirectory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var dataDirectory = new DataDirectoryResolution(Environment.CurrentDirectory);
        builder.Services.AddSingleton<IPostConfigureOptions<BrokerOptions>>(dataDirectory);
        builder.Services.AddSingleton<IPostConfigureOptions<SqliteStoreOptions>>(dataDirectory);
        builder.Services.AddSingleton<IValidateOptions<BrokerOptions>, BrokerOptionsValidation>();
        builder.Services.AddOptions<BrokerOptions>().Bind(builder.Configuration.GetSection(BrokerOptions.SectionName)).ValidateOnStart();
        // TryAdd: a host (the integration tests) may bring its own clock through configure.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(IssuerKeyCache.HttpClientName);
        builder.Services.AddSingleton<IValidateOptions<BrokerOptions>, ProvidersOptionsValidation>();
        builder.Services.AddConnectionLimits();

        // Token-API URLs carry access tokens and the Facebook app secret: the client's request loggers are removed.
        builder.Services.AddHttpClient(ProviderApi.HttpClientName).RemoveAllLoggers();
        AddStore(builder.Services, builder.Configuration);
        builder.Services.AddUserPoolMessages(builder.Configuration);
        builder.Services.AddUserPoolOAuth(builder.Configuration);
        builder.Services.AddUserPoolTriggers(builder.Configuration);
        builder.Services.AddSyncDelivery(builder.Configuration);
        AddTokens(builder.Services);
        AddOperations(builder.Services);
        AddAwsEndpoints(builder.Services);
        AddEdge(builder.Services);
        builder.Services.AddBrokerMetrics(builder.Configuration);
        builder.Services.AddLimits();
        builder.Services.AddIdentityLifecycle();
        builder.Services.AddAuditTrail(builder.Configuration);
        builder.Services.AddCognitoSync();
        builder.Services.AddConsole();
        builder.Services.AddHostedService<BrokerStartup>();
        builder.Services.AddSingleton<ConfigurationPlanner>();

        // Last: a configuration plan rebuilds the operations from these registrations (ConfigurationSandbox).
        builder.Services.AddSingleton(new ServiceRegistrations(builder.Services));

        var app = builder.Build();
        app.UseKnownProxies();
        app.UseRequestStartedMark();
        app.MapProtocolEndpoints();
        app.MapDiscoveryAndHealth();
        app.MapAdminApi();
        app.MapUserPoolOutbox();
        app.MapUserPoolOAuth();
        app.MapUserPoolDomain().MapHostedUi();
        app.MapIssuerLogo();
        app.MapIdentityLookup();
        app.MapMetrics();
        app.MapExpressionRules();
        app.MapPoolLimits();
        app.MapConfigurationApi();
        app.MapConsole();
        app.MapBulkDelete();
        app.MapRevocations();
        app.MapKeyRotation();
        app.MapSyncStream();
        return app;
    }

    /// <summary>Broker:Store picks the store; the modes are read here, before options validation runs, since they decide the services.</summary>
    private static void AddStore(IServiceCollection services, ConfigurationManager configuration)
    {
        _ = BrokerModes.Read(configuration) switch
        {
            StoreKind.Sqlite => services.AddSqliteStore(configuration),
            StoreKind.Redis => services.AddRedisStore(configuration),
            var other => throw new UnreachableException($"No registration for store {other}."),
        };
    }

    private static void AddTokens(IServiceCollection services)
    {
        services.AddSingleton<BrokerIssuer>();
        services.AddSingleton<SigningKeyRing>();
        services.AddHostedService<KeyRotationSchedule>();
        services.AddSingleton<OpenIdTokenIssuer>();
        services.AddSingleton<DiscoveryDocuments>();
        services.AddSingleton<BrokerIssuerKeys>();
        services.AddSingleton<OidcProviderDirectory>();
        services.AddSingleton<IssuerKeyCache>();
        services.AddSingleton<VerifiedTokenCache>();
        services.AddSingleton<JwtReader>();
        services.AddSingleton<OidcProviderKeys>();
        services.AddSingleton<IIssuerKeySource>(sp => new CompositeIssuerKeySource(
            [sp.GetRequiredService<BrokerIssuerKeys>(), sp.GetRequiredService<OidcProviderKeys>()]));
        services.AddSingleton<ILoginValidator, OidcLoginValidator>();
        services.AddSingleton<ProviderApi>();
        services.AddSingleton<ILoginValidator>(sp => IdTokenProviderValidator.Google(sp.GetRequiredService<JwtReader>(), sp.GetRequiredService<IOptions<BrokerOptions>>()));
        services.AddSingleton<ILoginValidator>(sp => IdTokenProviderValidator.Apple(sp.GetRequiredService<JwtReader>(), sp.GetRequiredService<IOptions<BrokerOptions>>()));
        services.AddSingleton<ILoginValidator, FacebookLoginValidator>();
        services.AddSingleton<ILoginValidator, AmazonLoginValidator>();
        services.AddSingleton<ILoginValidator, UserPoolLoginValidator>();
        services.AddSingleton<BrokerUserPoolLogins>();
        services.AddSingleton<SamlProviderDirectory>();
        services.AddSingleton<SamlReplayGuard>();
        services.AddSingleton<SamlLoginValidator>();
        services.AddSingleton<ILoginValidator>(sp => sp.GetRequiredService<SamlLoginValidator>());
        services.AddSingleton<ILoginValidator, DeveloperTokenValidator>();
        services.AddSingleton<LoginVerifier>();
    }

    private static void AddOperations(IServiceCollection services)
    {
        services.AddSingleton<IdentityIds>();
        services.AddSingleton<PoolDirectory>();
        services.AddSingleton<PoolConfigurationRules>();
        services.AddSingleton<PoolOperations>();
        services.AddSingleton<PoolRoleOperations>();
        services.AddSingleton<PoolLimitOperations>();
        services.AddSingleton<ConfiguredProviders>();
        services.AddSingleton<RoleTrustCheck>();
        services.AddSingleton<IRoleUsageGuard, PoolRoleUsageGuard>();
        services.AddSingleton<PrincipalTagOperations>();
        services.AddSingleton<RuleSimulator>();
        services.AddSingleton<IdentityBroker.Mapping.Expressions.ExpressionRuleSets>();
        services.AddSingleton<IdentityBroker.Mapping.Expressions.ExpressionRuleOperations>();
        services.AddSingleton<IdentityBroker.Mapping.Replay.DecisionReplay>();
        services.AddSingleton<IdentityAccess>();
        services.AddSingleton<IdentityOperations>();
        services.AddSingleton<UnlinkOperations>();
        services.AddSingleton<DeveloperTokenOperation>();
        services.AddSingleton<DeveloperIdentityOperations>();
        services.AddSingleton<LinkingOperations>();
        services.AddSingleton<CredentialOperations>();
        services.AddSingleton<CognitoResources>();
        services.AddSingleton<IdentityBroker.Pools.Tags.IdentityPoolTagOperations>();
        services.AddSingleton<IdentityPoolTagResources>();
        services.AddSingleton<CognitoOperations>();
        services.AddSingleton<UserPoolIds>();
        services.AddSingleton<UserPoolOperations>();
        services.AddSingleton<UserPoolClientOperations>();
        services.AddSingleton<ClientReferences>();
        services.AddSingleton<UserPoolResources>();
        services.AddSingleton<UserPoolsOperations>();
        AddUserPoolTokens(services);
        services.AddUserPoolUsers();
        services.AddUserPoolGroups();
        services.AddUserPoolSelfService();
        services.AddUserPoolSignIn();
        services.AddUserPoolMfa();
        services.AddHostedUi();
        services.AddPoolFederation();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<BrokerReadiness>();
        services.AddSingleton<StoreOutageLog>();
        services.AddSingleton<ClientAborts>();
        services.AddSingleton<ProtocolBodies>();
    }

    /// <summary>The broker user pools' issuers, keys, tokens and sessions (docs/user-pools.md, "Tokens").</summary>
    private static void AddUserPoolTokens(IServiceCollection services)
    {
        services.AddSingleton<UserPoolIssuer>();
        services.AddSingleton<UserPoolSigningKeys>();
        services.AddSingleton<UserPoolTokenIssuer>();
        services.AddSingleton<UserPoolDiscovery>();
        services.AddSingleton<UserPoolSessions>();
        services.AddSingleton<VerifiedAccessTokens>();
        services.AddSingleton<AccessTokenAuthenticator>();
        services.AddSingleton<UserPoolSessionOperations>();
    }

    /// <summary>
    /// The services behind the one HTTP edge, one registration each (route and dialect in <see cref="AwsRoute"/>), and the
    /// observers of every call it completes.
    /// </summary>
    private static void AddEdge(IServiceCollection services)
    {
        services.AddAwsService<CognitoJsonEndpoint>(CognitoJsonEndpoint.Route);
        services.AddAwsService<UserPoolsEndpoint>(UserPoolsEndpoint.Route);
        services.AddAwsService(StsRoute, QueryEndpoint.For(StsRoute));
        services.AddAwsService(IamRoute, QueryEndpoint.For(IamRoute));
        services.AddSingleton<AwsDispatcher>();
        services.AddSingleton<HttpEdge>();
    }

    private static void AddAwsEndpoints(IServiceCollection services)
    {
        services.AddSingleton<SigV4Verifier>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BrokerOptions>>().Value;
            var admin = AdminCredentials.Load(options, sp.GetRequiredService<ILoggerFactory>().CreateLogger("IdentityBroker.Admin"));
            return new StaticPrincipalSource([new AccessKey(admin.AccessKeyId, admin.SecretAccessKey)], options.AccountId);
        });
        services.AddSingleton<ISigningPrincipalSource>(sp => new CompositePrincipalSource(
            sp.GetRequiredService<StaticPrincipalSource>(), sp.GetRequiredService<StsSessionPrincipals>()));
        services.AddSingleton<IRequestAuthenticator, SigV4RequestAuthenticator>();
        services.AddSingleton<SessionAuthorizer>();
        services.AddSingleton<ICallerAuthorizer, SessionCallerAuthorizer>();
        services.AddSingleton(_ => new PolicyCache());
        services.AddSingleton<SessionKeyRing>();
        services.AddSingleton<IdentityBroker.Revocations.RevocationList>();
        services.AddSingleton<IdentityBroker.Revocations.RevocationOperations>();
        services.AddSingleton<IdentityBroker.Revocations.RevokedMints>();
        services.AddHostedService<IdentityBroker.Server.Revocations.RevocationRefresher>();
        services.AddSingleton<StsSessionPrincipals>();
        services.AddSingleton<WebIdentityTokenValidator>();
        services.AddSingleton<EmbeddedSts>();
        services.AddSingleton<ICredentialMinter>(MinterSelection.Create);
        services.AddSingleton<IQueryActionHandler, StsQueryHandler>();
        services.AddSingleton<IQueryActionHandler, IamRoleHandler>();
        services.AddSingleton<IQueryActionHandler, OidcProviderActions>();
        services.AddSingleton<IQueryActionHandler, SamlProviderActions>();
        services.AddSingleton<SamlPoolProviderRules>();
    }
}
