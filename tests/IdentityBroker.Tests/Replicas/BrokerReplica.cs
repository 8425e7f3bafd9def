using System.Net.Http.Headers;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using IdentityBroker.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IdentityBroker.Tests.Replicas;

/// <summary>
/// One broker replica (the real host: Kestrel, Redis store, embedded STS in-process) on a free loopback port.
/// Replicas of one test share the Redis key prefix, the admin key and the issuer, as replicas behind one load
/// balancer do; third-party OIDC traffic goes to the given in-process handler.
/// </summary>
internal sealed class BrokerReplica : IAsyncDisposable
{
    public const string AccessKeyId = "AKIAREPLICATESTKEY01";
    public const string Secret = "replica-test-secret-key-0123456789";
    public const string Issuer = "http://127.0.0.1/identity-broker";

    private readonly WebApplication _app;

    private BrokerReplica(WebApplication app, string dataDirectory, Uri baseAddress)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public static async Task<BrokerReplica> StartAsync(string redisConfiguration, string keyPrefix, HttpMessageHandler? oidcHandler = null) =>
        await StartAsync(redisConfiguration, keyPrefix, oidcHandler, waitUntilReady: true, settings: null);

    /// <param name="waitUntilReady">False to return as soon as the host listens (Redis may be down).</param>
    /// <param name="settings">Extra configuration, applied last.</param>
    public static async Task<BrokerReplica> StartAsync(
        string redisConfiguration, string keyPrefix, HttpMessageHandler? oidcHandler, bool waitUntilReady, IDictionary<string, string?>? settings)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("broker-replica-").FullName;
        var app = BrokerApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Broker:Store"] = "redis";
            builder.Configuration["Broker:Redis:Configuration"] = redisConfiguration;
            builder.Configuration["Broker:Redis:KeyPrefix"] = keyPrefix;
            builder.Configuration["Broker:Redis:OperationTimeout"] = "00:00:01";
            builder.Configuration["Broker:DataDirectory"] = dataDirectory;
            builder.Configuration["Broker:Issuer"] = Issuer;
            builder.Configuration["Broker:SeedDemoPool"] = "false";
            builder.Configuration["Broker:Sts:InProcess"] = "true";
            builder.Configuration["Broker:Admin:AccessKeyId"] = AccessKeyId;
            builder.Configuration["Broker:Admin:SecretAccessKey"] = Secret;
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                builder.Configuration[key] = value;
            }

            if (oidcHandler is not null)
            {
                builder.Services.AddSingleton<IHttpClientFactory>(new HandlerClientFactory(oidcHandler));
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var replica = new BrokerReplica(app, dataDirectory, new Uri(address));
        if (waitUntilReady)
        {
            await replica.WaitReadyAsync(TimeSpan.FromSeconds(10));
        }

        return replica;
    }

    public Task<HttpResponseMessage> CognitoAsync(string operation, string json) =>
        Http.SendAsync(JsonRequest(operation, json));

    public Task<HttpResponseMessage> SignedCognitoAsync(string operation, string json) =>
        Http.SendAsync(Sign(JsonRequest(operation, json), "cognito-identity", json));

    public Task<HttpResponseMessage> SignedQueryAsync(string service, string form) =>
        Http.SendAsync(Sign(FormRequest(form), service, form));

    public Task<HttpResponseMessage> QueryAsync(string form) => Http.SendAsync(FormRequest(form));

    public async Task<bool> IsReadyAsync()
    {
        using var response = await Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        return response.IsSuccessStatusCode;
    }

    public async Task WaitReadyAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await IsReadyAsync())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The replica did not become ready.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    internal static HttpRequestMessage JsonRequest(string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityService." + operation);
        return request;
    }

    internal static HttpRequestMessage FormRequest(string form) =>
        new(HttpMethod.Post, "/") { Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded") };

    private HttpRequestMessage Sign(HttpRequestMessage message, string service, string body) => Sign(message, BaseAddress, service, body);

    /// <summary>Signs with AWSSDK.Core's SigV4 signer (as tests/Integration/BrokerServer.cs does) with the replicas' admin key.</summary>
    internal static HttpRequestMessage Sign(HttpRequestMessage message, Uri baseAddress, string service, string body) =>
        Sign(message, baseAddress, service, body, new ImmutableCredentials(AccessKeyId, Secret, null));

    /// <summary>Signs with <paramref name="credentials"/> (temporary ones add their session token), for the request's own path.</summary>
    internal static HttpRequestMessage Sign(HttpRequestMessage message, Uri baseAddress, string service, string body, ImmutableCredentials credentials)
    {
        var sdk = new DefaultRequest(new GetCallerIdentityRequest(), "IdentityBroker")
        {
            Endpoint = baseAddress,
            ResourcePath = message.RequestUri?.OriginalString ?? "/",
            HttpMethod = message.Method.Method,
            Content = Encoding.UTF8.GetBytes(body),
            AuthenticationRegion = "us-east-1",
            OverrideSigningServiceName = service,
        };
        sdk.Headers["Content-Type"] = message.Content!.Headers.ContentType!.ToString();
        foreach (var header in message.Headers)
        {
            sdk.Headers[header.Key] = string.Join(",", header.Value);
        }

        var config = new AmazonSecurityTokenServiceConfig { ServiceURL = baseAddress.ToString(), AuthenticationRegion = "us-east-1" };
        if (credentials.UseToken)
        {
            sdk.Headers["X-Amz-Security-Token"] = credentials.Token;
        }

        var result = new AWS4Signer().SignRequest(sdk, config, null, credentials.AccessKey, credentials.SecretKey);
        foreach (var (name, value) in sdk.Headers)
        {
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Remove(name);
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        message.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
        return message;
    }

    /// <summary>Hands every named client the same handler; safe under concurrent requests.</summary>
    private sealed class HandlerClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}
