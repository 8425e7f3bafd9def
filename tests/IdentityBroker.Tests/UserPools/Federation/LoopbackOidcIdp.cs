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
/// An OpenID Connect provider on loopback for the broker's upstream code flow: discovery, JWKS, a token endpoint that
/// redeems a code only with the client secret (or, playing Sign in with Apple, a client-secret JWT signed with
/// <see cref="AppleClientKey"/>) and the PKCE verifier of the challenge the authorization request carried, and a userinfo
/// endpoint for the access token it issued. The test plays the browser: <see cref="Approve"/> is what the provider's
/// login page would do.
/// </summary>
internal sealed class LoopbackOidcIdp : IAsyncDisposable
{
    public const string ClientId = "corp-client";
    public const string ClientSecret = "corp-secret";
    public const string AppleTeamId = "TEAM123456";
    public const string AppleKeyId = "KEY1234567";

    private readonly WebApplication _app;
    private readonly RsaTestKey _key = new("idp-kid");
    private readonly ConcurrentDictionary<string, (string Challenge, string Nonce, string Subject)> _codes = new();
    private readonly ConcurrentDictionary<string, string> _accessTokens = new();

    private LoopbackOidcIdp(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = string.Empty;

    /// <summary>When set, the ID token carries this nonce instead of the request's (a hostile or broken provider).</summary>
    public string? NonceOverride { get; set; }

    /// <summary>When set, userinfo answers this sub instead of the access token's user (a hostile or broken provider).</summary>
    public string? UserInfoSubjectOverride { get; set; }

    /// <summary>The public half of the key Apple would hold for the client: a client-secret JWT must verify with it.</summary>
    public ECDsa? AppleClientKey { get; set; }

    /// <summary>The claims of the last client-secret JWT the token endpoint accepted.</summary>
    public JsonElement? LastAppleSecretClaims { get; private set; }

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
            ["userinfo_endpoint"] = idp.Issuer + "/userinfo",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/keys", () => Results.Json(new Dictionary<string, object> { ["keys"] = new[] { idp._key.Jwk } }));
        app.MapPost("/token", (HttpRequest request) => idp.Token(request));
        app.MapMethods("/userinfo", ["GET", "POST"], (HttpRequest request) => idp.UserInfo(request));
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
        if (form["client_id"] != ClientId || !ClientAuthenticated(form["client_secret"].ToString()) || !_codes.TryRemove(form["code"].ToString(), out var grant))
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
        var accessToken = "at-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _accessTokens[accessToken] = grant.Subject;
        return Results.Text(JsonSerializer.Serialize(new { access_token = accessToken, token_type = "Bearer", id_token = idToken }), "application/json");
    }

    private IResult UserInfo(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !_accessTokens.TryGetValue(header["Bearer ".Length..], out var subject))
        {
            return Results.StatusCode(401);
        }

        return Results.Json(new Dictionary<string, string> { ["sub"] = UserInfoSubjectOverride ?? subject, ["family_name"] = "Userinfo-" + subject });
    }

    /// <summary>The static secret, or Apple's client-secret JWT: ES256 with kid, iss team, sub client, aud Apple, not expired.</summary>
    private bool ClientAuthenticated(string secret)
    {
        if (AppleClientKey is null)
        {
            return secret == ClientSecret;
        }

        var parts = secret.Split('.');
        if (parts.Length != 3
            || !AppleClientKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromB64(parts[2]), HashAlgorithmName.SHA256))
        {
            return false;
        }

        var header = JsonDocument.Parse(FromB64(parts[0])).RootElement;
        var claims = JsonDocument.Parse(FromB64(parts[1])).RootElement.Clone();
        LastAppleSecretClaims = claims;
        return header.GetProperty("alg").GetString() == "ES256" && header.GetProperty("kid").GetString() == AppleKeyId
            && claims.GetProperty("iss").GetString() == AppleTeamId && claims.GetProperty("sub").GetString() == ClientId
            && claims.GetProperty("aud").GetString() == "https://appleid.apple.com"
            && claims.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    private static byte[] FromB64(string part)
    {
        var padded = part.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
