using System.Text.Json;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.HostedUi;
using IdentityBroker.UserPools.OAuth;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// The pre token generation trigger's <c>triggerSource</c> in each API flow, as the developer guide's "Connecting Lambda
/// triggers to user pool functional operations" lists them (HostedAuth and RefreshTokens: UserPoolTriggersApiTests.OAuth.cs
/// and the V1 test).
/// </summary>
public sealed partial class UserPoolTriggersApiTests
{
    private const string TemporaryPassword = "Temporary-horse-9";

    [Test]
    public async Task PreTokenGeneration_after_NEW_PASSWORD_REQUIRED_is_TokenGeneration_NewPasswordChallenge_and_the_next_sign_in_is_Authentication()
    {
        var (pool, client) = await PoolAsync(Members(("PreTokenGeneration", "pretoken"), ("PostAuthentication", "postauth")));
        await SignedAsync("AdminCreateUser", $$"""
            {"UserPoolId":"{{pool}}","Username":"nora","MessageAction":"SUPPRESS","TemporaryPassword":"{{TemporaryPassword}}",
             "UserAttributes":[{"Name":"email","Value":"nora@example.com"}]}
            """);

        using var initiated = await InitiateAsync(client, "USER_PASSWORD_AUTH", ("USERNAME", "nora"), ("PASSWORD", TemporaryPassword));
        var (session, _) = await ChallengeAsync(initiated, "NEW_PASSWORD_REQUIRED");
        Assert.That(_receiver.CallsTo("pretoken"), Is.Empty, "no tokens yet, so no pre token generation");
        using var answered = await UnsignedAsync("RespondToAuthChallenge", JsonSerializer.Serialize(new
        {
            ClientId = client, ChallengeName = "NEW_PASSWORD_REQUIRED", Session = session,
            ChallengeResponses = new Dictionary<string, string> { ["USERNAME"] = "nora", ["NEW_PASSWORD"] = Password },
        }));
        var body = await AwsErrorAssert.IsSuccessAsync(answered);
        Assert.That(body.GetProperty("AuthenticationResult").GetProperty("IdToken").GetString(), Is.Not.Empty);
        var first = _receiver.CallsTo("pretoken").Single().Event;
        Assert.Multiple(() =>
        {
            Assert.That((string?)first["triggerSource"], Is.EqualTo("TokenGeneration_NewPasswordChallenge"));
            Assert.That((string?)first["userName"], Is.EqualTo("nora"));
            Assert.That((string?)first["request"]!["userAttributes"]!["cognito:user_status"], Is.EqualTo("CONFIRMED"));
            Assert.That((string?)_receiver.CallsTo("postauth").Single().Event["triggerSource"], Is.EqualTo("PostAuthentication_Authentication"),
                "only the token trigger has a source of its own for this challenge");
        });

        _receiver.Calls.Clear();
        await SignInAsync(client, "nora");
        Assert.That((string?)_receiver.CallsTo("pretoken").Single().Event["triggerSource"], Is.EqualTo("TokenGeneration_Authentication"),
            "the next sign-in with the new password is an ordinary authentication");
    }

    [Test]
    public async Task PreTokenGeneration_after_CUSTOM_AUTH_is_TokenGeneration_Authentication()
    {
        var (pool, client) = await PoolAsync($$"""
            "DefineAuthChallenge":"{{Arn("define")}}","CreateAuthChallenge":"{{Arn("create")}}","VerifyAuthChallengeResponse":"{{Arn("verify")}}",
            "PreTokenGeneration":"{{Arn("pretoken")}}"
            """);
        await CreateUserAsync(pool, "otto");
        CustomAuthFunctions();

        var (session, _) = await ChallengeAsync(await InitiateAsync(client, "CUSTOM_AUTH", ("USERNAME", "otto")), "CUSTOM_CHALLENGE");
        using var signedIn = await RespondAsync(client, session, "otto", "42");
        await AwsErrorAssert.IsSuccessAsync(signedIn);
        Assert.That((string?)_receiver.CallsTo("pretoken").Single().Event["triggerSource"], Is.EqualTo("TokenGeneration_Authentication"));
    }

    [Test]
    public async Task A_hosted_UI_sign_in_runs_Pre_and_PostAuthentication_and_leaves_pre_token_generation_to_the_code_HostedAuth()
    {
        var (pool, client) = await PoolAsync(Members(("PreAuthentication", "preauth"), ("PostAuthentication", "postauth"), ("PreTokenGeneration", "pretoken")));
        await CreateUserAsync(pool, "pia");
        var store = _server.Services.GetRequiredService<IUserPoolStore>();
        var userPool = (await store.GetUserPoolAsync(pool, CancellationToken.None))!;
        var appClient = (await store.GetClientAsync(pool, client, CancellationToken.None))!;

        var outcome = await _server.Services.GetRequiredService<HostedSignIn>().SignInAsync(userPool, appClient, "pia", Password, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Error, Is.Null);
            Assert.That(outcome.Value.HostedUser?.Username, Is.EqualTo("pia"), "the hosted pages end in a session and a code, not tokens");
            Assert.That(outcome.Value.Tokens, Is.Null);
            Assert.That((string?)_receiver.CallsTo("preauth").Single().Event["triggerSource"], Is.EqualTo("PreAuthentication_Authentication"));
            Assert.That((string?)_receiver.CallsTo("postauth").Single().Event["triggerSource"], Is.EqualTo("PostAuthentication_Authentication"));
            Assert.That(_receiver.CallsTo("pretoken"), Is.Empty, "pre token generation runs when the code is redeemed (TokenGeneration_HostedAuth)");
        });
    }

    [TestCase("V3_0", true)]
    [TestCase("V2_0", false)]
    [TestCase("V1_0", false)]
    public async Task A_client_credentials_grant_runs_pre_token_generation_as_TokenGeneration_ClientCredentials_only_for_V3(string version, bool called)
    {
        var (pool, _) = await PoolAsync($$"""
            "PreTokenGenerationConfig":{"LambdaVersion":"{{version}}","LambdaArn":"{{Arn("pretoken")}}"}
            """);
        await SignedAsync("CreateResourceServer", $$"""
            {"UserPoolId":"{{pool}}","Identifier":"photos","Name":"Photos","Scopes":[{"ScopeName":"read","ScopeDescription":"r"},{"ScopeName":"write","ScopeDescription":"w"}]}
            """);
        var machine = (await SignedAsync("CreateUserPoolClient", $$"""
            {"UserPoolId":"{{pool}}","ClientName":"m2m","GenerateSecret":true,"AllowedOAuthFlows":["client_credentials"],
             "AllowedOAuthScopes":["photos/read","photos/write"],"AllowedOAuthFlowsUserPoolClient":true}
            """)).GetProperty("UserPoolClient");
        var clientId = machine.GetProperty("ClientId").GetString()!;
        _receiver.Answer("pretoken", e => e["response"]!["claimsAndScopeOverrideDetails"] = System.Text.Json.Nodes.JsonNode.Parse("""
            {"accessTokenGeneration":{"claimsToAddOrOverride":{"tenant":"acme","sub":"forged"},"scopesToSuppress":["photos/write"]}}
            """));

        var granted = await _server.Services.GetRequiredService<TokenGrants>().GrantAsync(pool, new TokenRequest("client_credentials", clientId,
            machine.GetProperty("ClientSecret").GetString(), new Dictionary<string, string?> { ["scope"] = "photos/read photos/write" }), CancellationToken.None);
        Assert.That(granted.Error, Is.Null);
        var access = Claims(granted.Value.AccessToken);
        if (!called)
        {
            Assert.Multiple(() =>
            {
                Assert.That(_receiver.CallsTo("pretoken"), Is.Empty, "V1_0 and V2_0 functions are not called for machine tokens");
                Assert.That(access.GetProperty("scope").GetString(), Is.EqualTo("photos/read photos/write"));
                Assert.That(access.TryGetProperty("tenant", out _), Is.False);
            });
            return;
        }

        var e = _receiver.CallsTo("pretoken").Single().Event;
        Assert.Multiple(() =>
        {
            Assert.That((string?)e["version"], Is.EqualTo("3"));
            Assert.That((string?)e["triggerSource"], Is.EqualTo("TokenGeneration_ClientCredentials"));
            Assert.That((string?)e["callerContext"]!["clientId"], Is.EqualTo(clientId));
            Assert.That(e["request"]!["scopes"]!.AsArray().Select(s => (string?)s), Is.EqualTo(new[] { "photos/read", "photos/write" }));
            Assert.That(e["request"]!["userAttributes"]!.AsObject(), Is.Empty);
            Assert.That(access.GetProperty("tenant").GetString(), Is.EqualTo("acme"));
            Assert.That(access.GetProperty("sub").GetString(), Is.EqualTo(clientId), "the token's own claims cannot be overridden");
            Assert.That(access.GetProperty("scope").GetString(), Is.EqualTo("photos/read"));
        });
    }
}
