using System.Text.Json.Nodes;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.OAuth;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Integration;

/// <summary>Pre token generation on the OAuth side: tokens of an authorization code and of a refresh at /oauth2/token.</summary>
public sealed partial class UserPoolTriggersApiTests
{
    private const string Callback = "https://app.example/callback";

    [Test]
    public async Task PreTokenGeneration_runs_for_an_authorization_code_as_HostedAuth_and_for_its_refresh()
    {
        var (pool, client) = await PoolAsync(Members(("PreTokenGeneration", "pretoken")));
        await SignedAsync("UpdateUserPoolClient", $$"""
            {"UserPoolId":"{{pool}}","ClientId":"{{client}}","ClientName":"app","CallbackURLs":["{{Callback}}"],
             "AllowedOAuthFlows":["code"],"AllowedOAuthScopes":["openid","email"],"AllowedOAuthFlowsUserPoolClient":true,
             "SupportedIdentityProviders":["COGNITO"]}
            """);
        await CreateUserAsync(pool, "iris");
        _receiver.Answer("pretoken", e => e["response"]!["claimsOverrideDetails"] = JsonNode.Parse("""{"claimsToAddOrOverride":{"tenant":"green"}}"""));

        var tokens = await RedeemCodeAsync(pool, client, "iris");
        Assert.Multiple(() =>
        {
            Assert.That((string?)_receiver.CallsTo("pretoken").Single().Event["triggerSource"], Is.EqualTo("TokenGeneration_HostedAuth"));
            Assert.That(Claims(tokens.IdToken!).GetProperty("tenant").GetString(), Is.EqualTo("green"));
        });

        _receiver.Calls.Clear();
        var grants = _server.Services.GetRequiredService<TokenGrants>();
        var refreshed = await grants.GrantAsync(pool, new TokenRequest("refresh_token", client, null,
            new Dictionary<string, string?> { ["refresh_token"] = tokens.RefreshToken }), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(refreshed.IsSuccess, Is.True);
            Assert.That((string?)_receiver.CallsTo("pretoken").Single().Event["triggerSource"], Is.EqualTo("TokenGeneration_RefreshTokens"));
            Assert.That(Claims(refreshed.Value.IdToken!).GetProperty("tenant").GetString(), Is.EqualTo("green"));
        });
    }

    [Test]
    public async Task A_PreTokenGeneration_refusal_at_the_token_endpoint_is_invalid_request_with_the_functions_message()
    {
        var (pool, client) = await PoolAsync(Members(("PreTokenGeneration", "pretoken")));
        await SignedAsync("UpdateUserPoolClient", $$"""
            {"UserPoolId":"{{pool}}","ClientId":"{{client}}","ClientName":"app","CallbackURLs":["{{Callback}}"],
             "AllowedOAuthFlows":["code"],"AllowedOAuthScopes":["openid"],"AllowedOAuthFlowsUserPoolClient":true,
             "SupportedIdentityProviders":["COGNITO"]}
            """);
        await CreateUserAsync(pool, "jules");
        _receiver.Fail("pretoken", "no tokens today");

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => RedeemCodeAsync(pool, client, "jules"))!;
        Assert.That(error.Message, Does.StartWith("invalid_request: ").And.Contain("no tokens today"));
    }

    /// <summary>A code issued for the user as the hosted UI would, redeemed at the token endpoint's grant with its verifier.</summary>
    private async Task<TokenResponse> RedeemCodeAsync(string pool, string clientId, string username)
    {
        var services = _server.Services;
        var userPool = (await services.GetRequiredService<IUserPoolStore>().GetUserPoolAsync(pool, CancellationToken.None))!;
        var client = (await services.GetRequiredService<IUserPoolStore>().GetClientAsync(pool, clientId, CancellationToken.None))!;
        var user = (await services.GetRequiredService<IdentityBroker.UserPools.Users.UserLookup>().FindAsync(userPool, username, CancellationToken.None))!;
        const string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        var request = new AuthorizeRequest(clientId, Callback, AuthorizeRequest.Code, ["openid", "email"], "s", "n", Pkce.Challenge(verifier), AuthorizeRequests.S256);
        var code = await services.GetRequiredService<AuthorizationCodes>()
            .IssueAsync(new ValidatedAuthorize(userPool, client, request), user.Sub, DateTimeOffset.UtcNow, CancellationToken.None);
        var granted = await services.GetRequiredService<TokenGrants>().GrantAsync(pool, new TokenRequest("authorization_code", clientId, null,
            new Dictionary<string, string?> { ["code"] = code, ["redirect_uri"] = Callback, ["code_verifier"] = verifier }), CancellationToken.None);
        return granted.IsSuccess ? granted.Value : throw new InvalidOperationException(granted.Error!.Type + ": " + granted.Error.Message);
    }
}
