using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IdentityBroker.Load;

/// <summary>
/// A local OpenID Connect provider for the load run: serves its discovery document and JWKS on loopback and pre-mints
/// RS256 ID tokens (signed here with System.Security.Cryptography), one per user, so minting costs nothing during a run.
/// </summary>
public sealed class OidcStandIn : IAsyncDisposable
{
    public const string ClientId = "load-client";
    private const string KeyId = "load-1";

    private readonly RSA _key = RSA.Create(2048);
    private WebApplication? _app;

    public string Issuer { get; private set; } = string.Empty;

    /// <summary>The Logins key of this provider: its URL without the scheme.</summary>
    public string ProviderKey => Issuer["http://".Length..];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = Issuer + "/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["response_types_supported"] = new[] { "id_token" },
            ["subject_types_supported"] = new[] { "public" },
        }));
        app.MapGet("/keys", () =>
        {
            var p = _key.ExportParameters(false);
            return Results.Json(new { keys = new[] { new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId, ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) } } });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Issuer = address.TrimEnd('/');
        _app = app;
    }

    /// <summary>One token per user (<c>sub</c> = user-N), valid for <paramref name="lifetime"/>; minted on every core.</summary>
    public string[] MintTokens(int users, TimeSpan lifetime) => MintTokensFor(Enumerable.Range(0, users).ToArray(), lifetime);

    /// <summary>One token for each user number in <paramref name="users"/> (<c>sub</c> = user-N), in that order.</summary>
    public string[] MintTokensFor(IReadOnlyList<int> users, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(users);
        var now = DateTimeOffset.UtcNow;
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId }));
        var tokens = new string[users.Count];
        Parallel.For(0, users.Count, i =>
        {
            var payload = new Dictionary<string, object>
            {
                ["iss"] = Issuer,
                ["sub"] = $"user-{users[i]}",
                ["aud"] = ClientId,
                ["iat"] = now.ToUnixTimeSeconds(),
                ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
                ["email"] = $"user-{users[i]}@example.com",
            };
            var input = header + "." + B64(JsonSerializer.SerializeToUtf8Bytes(payload));
            tokens[i] = input + "." + B64(_key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        });
        return tokens;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _key.Dispose();
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
