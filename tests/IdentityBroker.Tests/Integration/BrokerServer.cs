using System.Net.Http.Headers;
using System.Text;
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

namespace IdentityBroker.Tests.Integration;

internal sealed record SigningKey(string AccessKeyId, string Secret, string? SessionToken);

/// <summary>The real broker (Kestrel, SQLite, embedded STS over HTTP) on a free loopback port with a fresh data directory.</summary>
internal sealed class BrokerServer : IAsyncDisposable
{
    public const string AccessKeyId = "AKIAINTEGRATIONTEST1";
    public const string Secret = "integration-test-secret-key-0123456789";

    private readonly WebApplication _app;

    private BrokerServer(WebApplication app, string dataDirectory, Uri baseAddress)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>The running broker's services, for tests that compare against its own tables (e.g. every signed operation).</summary>
    public IServiceProvider Services => _app.Services;

    public string DemoPoolId => File.ReadAllText(Path.Combine(DataDirectory, "demo-pool-id")).Trim();

    public static async Task<BrokerServer> StartAsync(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("broker-it-").FullName;
        var app = BrokerApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Broker:DataDirectory"] = dataDirectory;
            builder.Configuration["Broker:Admin:AccessKeyId"] = AccessKeyId;
            builder.Configuration["Broker:Admin:SecretAccessKey"] = Secret;
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            // Fixtures share one broker and address for many tests that create guests; a test of the quota sets it back.
            builder.Configuration["Broker:Limits:GuestsPerAddressPerMinute"] = "0";
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                builder.Configuration[key] = value;
            }

            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var server = new BrokerServer(app, dataDirectory, new Uri(address));
        await server.WaitReadyAsync();
        return server;
    }

    public Task<HttpResponseMessage> CognitoAsync(string operation, string json) =>
        Http.SendAsync(JsonRequest(operation, json));

    public Task<HttpResponseMessage> SignedCognitoAsync(string operation, string json, string secret = Secret) =>
        Http.SendAsync(Sign(JsonRequest(operation, json), "cognito-identity", json, new SigningKey(AccessKeyId, secret, null)));

    /// <summary>Signed with temporary credentials (access key, secret, session token), e.g. a guest's from GetCredentialsForIdentity.</summary>
    public Task<HttpResponseMessage> SignedCognitoAsync(string operation, string json, SigningKey key) =>
        Http.SendAsync(Sign(JsonRequest(operation, json), "cognito-identity", json, key));

    /// <summary>A Cognito User Pools call (<c>AWSCognitoIdentityProviderService.</c>), signed with the admin key unless <paramref name="key"/> is given.</summary>
    public Task<HttpResponseMessage> SignedUserPoolsAsync(string operation, string json, SigningKey? key = null) =>
        Http.SendAsync(Sign(JsonRequest(operation, json, "AWSCognitoIdentityProviderService."), "cognito-idp", json,
            key ?? new SigningKey(AccessKeyId, Secret, null)));

    public Task<HttpResponseMessage> SignedQueryAsync(string service, string form, SigningKey? key = null) =>
        Http.SendAsync(Sign(new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded") }, service, form, key ?? new SigningKey(AccessKeyId, Secret, null)));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file still held open by the pool is harmless in a temp folder.
        }
    }

    private static HttpRequestMessage JsonRequest(string operation, string json, string targetPrefix = "AWSCognitoIdentityService.")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", targetPrefix + operation);
        return request;
    }

    /// <summary>
    /// Signs with AWSSDK.Core's SigV4 signer: an implementation independent of the broker's verifier. The message's
    /// relative URI is the signed path and query; its method the signed method.
    /// </summary>
    public HttpRequestMessage Sign(HttpRequestMessage message, string service, string body, SigningKey key)
    {
        var target = message.RequestUri?.OriginalString ?? "/";
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var sdk = new DefaultRequest(new GetCallerIdentityRequest(), "IdentityBroker")
        {
            Endpoint = BaseAddress,
            ResourcePath = query < 0 ? target : target[..query],
            HttpMethod = message.Method.Method,
            Content = Encoding.UTF8.GetBytes(body),
            AuthenticationRegion = "us-east-1",
            OverrideSigningServiceName = service,
        };
        sdk.Headers["Content-Type"] = message.Content!.Headers.ContentType!.ToString();
        foreach (var pair in query < 0 ? [] : target[(query + 1)..].Split('&'))
        {
            var (name, value) = (pair.Split('=', 2)[0], pair.Contains('=', StringComparison.Ordinal) ? pair.Split('=', 2)[1] : string.Empty);
            sdk.Parameters[Uri.UnescapeDataString(name)] = Uri.UnescapeDataString(value);
        }

        if (key.SessionToken is { } token)
        {
            message.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        }

        foreach (var header in message.Headers)
        {
            sdk.Headers[header.Key] = string.Join(",", header.Value);
        }

        var config = new AmazonSecurityTokenServiceConfig { ServiceURL = BaseAddress.ToString(), AuthenticationRegion = "us-east-1" };
        var result = new AWS4Signer().SignRequest(sdk, config, null, key.AccessKeyId, key.Secret);
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

    private async Task WaitReadyAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            using var response = await Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException("The broker did not become ready.");
    }
}
