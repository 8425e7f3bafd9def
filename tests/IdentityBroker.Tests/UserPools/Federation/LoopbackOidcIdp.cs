using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdentityBroker.Tests.Federation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityBroker.Tests.UserPools.Federation;

/// <summary>
/// An OpenID Connect provider on loopback for the broker's upstream code flow: discovery, JWKS and a token endpoint that
/// redeems a code only with the client secret and the PKCE verifier of the challenge the authorization request carried.
/// The test plays the browser: <see cref="Approve"/> is what the provider's login page would do.
/// </summary>
internal sealed class LoopbackOidcIdp : IAsyncDisposable
{
    public const string ClientId = "corp-client";
    public const string ClientSecret = "corp-secret";

    private readonly WebApplication _app;
    private readonly RsaTestKey _key = new("idp-kid");
    private readonly ConcurrentDictionary<string, (string Challenge, string Nonce, string Subject)> _codes = new();

    private LoopbackOidcIdp(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = string.Empty;

    /// <summary>When set, the ID token carries this nonce instead of the request's (a hostile or broken provider).</summary>
    public string? NonceOverride { get; set; }

    public static async Task<LoopbackOidcIdp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var idp = new LoopbackOidcIdp(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = idp.Issuer,
            ["authorization_endpoint"] = idp.Issuer + "/authorize",
            ["token_endpoint"] = idp.Issuer + "/token",
            ["jwks_uri"] = idp.Issuer + "/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/keys", () => Results.Json(new Dictionary<string, object> { ["keys"] = new[] { idp._key.Jwk } }));
        app.MapPost("/token", (HttpRequest request) => idp.Token(request));
        await app.StartAsync();
        idp.Issuer = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return idp;
    }

    /// <summary>The user signs in at the provider: a code for the authorization request the broker sent to <paramref name="authorizeUrl"/>.</summary>
    public string Approve(Uri authorizeUrl, string subject)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorizeUrl.Query);
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = (query["code_challenge"].ToString(), query["nonce"].ToString(), subject);
        return code;
    }

    private async Task<IResult> Token(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret || !_codes.TryRemove(form["code"].ToString(), out var grant))
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var challenge = Jws.B64(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString())));
        if (challenge != grant.Challenge)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var idToken = Jws.Create(_key, new Dictionary<string, object?>
        {
            ["iss"] = Issuer, ["aud"] = ClientId, ["sub"] = grant.Subject, ["iat"] = now, ["exp"] = now + 600,
            ["nonce"] = NonceOverride ?? grant.Nonce, ["email"] = grant.Subject + "@corp.example.com",
        });
        return Results.Text(JsonSerializer.Serialize(new { access_token = "at", token_type = "Bearer", id_token = idToken }), "application/json");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
