using System.Text.Json;
using IdentityBroker.Tests.Federation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityBroker.Tests.Crash;

/// <summary>
/// OpenID Connect issuers a broker in another process can reach: <c>http://127.0.0.1:port/&lt;name&gt;</c> serving
/// discovery and JWKS (Kestrel in the test process), with ID tokens signed here.
/// </summary>
internal sealed class LoopbackOidcIssuers : IAsyncDisposable
{
    public const string ClientId = "crash-client";

    private readonly WebApplication _app;
    private readonly RsaTestKey _key;

    private LoopbackOidcIssuers(WebApplication app, RsaTestKey key, string root)
    {
        _app = app;
        _key = key;
        Root = root;
    }

    /// <summary><c>http://127.0.0.1:port</c>; an issuer is <c>Root/name</c>, its Logins key that without the scheme.</summary>
    public string Root { get; }

    public static async Task<LoopbackOidcIssuers> StartAsync()
    {
        var key = new RsaTestKey("crash-kid");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var jwks = JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = new[] { key.Jwk } });
        app.MapGet("/{name}/.well-known/openid-configuration", (HttpContext context, string name) =>
        {
            var issuer = $"{context.Request.Scheme}://{context.Request.Host}/{name}";
            var document = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["issuer"] = issuer,
                ["jwks_uri"] = issuer + "/keys",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
            return Results.Text(document, "application/json");
        });
        app.MapGet("/{name}/keys", () => Results.Text(jwks, "application/json"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackOidcIssuers(app, key, address.TrimEnd('/'));
    }

    public string Issuer(string name) => $"{Root}/{name}";

    public string ProviderKey(string name) => Issuer(name)["http://".Length..];

    public string Token(string name, string subject)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Jws.Create(_key, new Dictionary<string, object?>
        {
            ["iss"] = Issuer(name),
            ["aud"] = ClientId,
            ["sub"] = subject,
            ["iat"] = now,
            ["exp"] = now + 3600,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
