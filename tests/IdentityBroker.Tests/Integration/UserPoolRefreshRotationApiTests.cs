using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// Refresh-token rotation through the real server (API reference, RefreshTokenRotationType): the client setting round-trips,
/// GetTokensFromRefreshToken answers a new refresh token of the same session, the replaced one is honoured for
/// RetryGracePeriodSeconds only, and REFRESH_TOKEN_AUTH is refused on a rotating client. The broker's clock is a FakeTimeProvider.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class UserPoolRefreshRotationApiTests
{
    private const string Password = "Correct-horse-1";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private BrokerServer _server = null!;
    private string _userPoolId = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(_time));
        using var pool = await _server.SignedUserPoolsAsync("CreateUserPool", """{"PoolName":"Rotation"}""");
        _userPoolId = (await AwsErrorAssert.IsSuccessAsync(pool)).GetProperty("UserPool").GetProperty("Id").GetString()!;
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task The_rotation_setting_is_described_and_defaults_to_disabled()
    {
        var rotating = await CreateClientAsync("""{"Feature":"ENABLED","RetryGracePeriodSeconds":25}""");
        var plain = await CreateClientAsync(null);

        Assert.That((await DescribeAsync(rotating)).ToString(), Is.EqualTo("""{"Feature":"ENABLED","RetryGracePeriodSeconds":25}"""));
        Assert.That((await DescribeAsync(plain)).ToString(), Is.EqualTo("""{"Feature":"DISABLED","RetryGracePeriodSeconds":0}"""));
    }

    [Test]
    public async Task Rotation_settings_outside_the_model_are_validation_errors()
    {
        foreach (var rotation in new[] { """{"RetryGracePeriodSeconds":5}""", """{"Feature":"ON"}""", """{"Feature":"ENABLED","RetryGracePeriodSeconds":61}""" })
        {
            using var response = await _server.SignedUserPoolsAsync("CreateUserPoolClient",
                $$"""{"UserPoolId":"{{_userPoolId}}","ClientName":"bad","RefreshTokenRotation":{{rotation}}}""");
            Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "ValidationException"), Does.Contain("refreshTokenRotation"), rotation);
        }
    }

    [Test]
    public async Task A_rotating_client_answers_a_new_refresh_token_of_the_same_session_and_the_old_one_lasts_the_grace_period()
    {
        // Without ALLOW_REFRESH_TOKEN_AUTH, as Cognito's guide sets up a rotating client: GetTokensFromRefreshToken still serves it.
        var client = await CreateClientAsync("""{"Feature":"ENABLED","RetryGracePeriodSeconds":10}""", refreshFlow: false);
        var signIn = await SignInAsync(client);
        var first = signIn.GetProperty("RefreshToken").GetString()!;

        var rotated = await RenewAsync(client, first);
        var second = rotated.GetProperty("RefreshToken").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.Not.EqualTo(first));
            Assert.That(Claim(rotated, "AccessToken", "origin_jti"), Is.EqualTo(Claim(signIn, "AccessToken", "origin_jti")));
            Assert.That(Claim(rotated, "IdToken", "auth_time"), Is.EqualTo(Claim(signIn, "IdToken", "auth_time")));
        });

        _time.Advance(TimeSpan.FromSeconds(9));
        var retried = await RenewAsync(client, first);
        var third = retried.GetProperty("RefreshToken").GetString()!;
        await RefusedAsync(client, second, "the retry retired the token of the lost answer");

        _time.Advance(TimeSpan.FromSeconds(2));
        await RefusedAsync(client, first, "past the grace period");
        var fourth = (await RenewAsync(client, third)).GetProperty("RefreshToken").GetString()!;
        Assert.That(fourth, Is.Not.EqualTo(third));
    }

    [Test]
    public async Task Without_a_grace_period_the_redeemed_refresh_token_stops_at_once_and_REFRESH_TOKEN_AUTH_is_refused()
    {
        var client = await CreateClientAsync("""{"Feature":"ENABLED"}""");
        var first = (await SignInAsync(client)).GetProperty("RefreshToken").GetString()!;

        using (var viaInitiate = await UnsignedAsync("InitiateAuth",
            Json(new { ClientId = client, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new { REFRESH_TOKEN = first } })))
        {
            Assert.That(await AwsErrorAssert.IsJsonErrorAsync(viaInitiate, "NotAuthorizedException"), Does.Contain("GetTokensFromRefreshToken"));
        }

        await RenewAsync(client, first);
        await RefusedAsync(client, first, "grace 0 invalidates at once");
    }

    [Test]
    public async Task A_disabled_client_keeps_one_refresh_token()
    {
        var client = await CreateClientAsync(null);
        var first = (await SignInAsync(client)).GetProperty("RefreshToken").GetString()!;

        Assert.That((await RenewAsync(client, first)).TryGetProperty("RefreshToken", out _), Is.False);
        await RenewAsync(client, first);
    }

    private async Task<string> CreateClientAsync(string? rotation, bool refreshFlow = true)
    {
        var flows = refreshFlow ? "\"ALLOW_USER_PASSWORD_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"" : "\"ALLOW_USER_PASSWORD_AUTH\"";
        var json = $$"""{"UserPoolId":"{{_userPoolId}}","ClientName":"rot","ExplicitAuthFlows":[{{flows}}]"""
            + (rotation is null ? "}" : $$""","RefreshTokenRotation":{{rotation}}}""");
        using var response = await _server.SignedUserPoolsAsync("CreateUserPoolClient", json);
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
    }

    private async Task<JsonElement> DescribeAsync(string client)
    {
        using var response = await _server.SignedUserPoolsAsync("DescribeUserPoolClient", Json(new { UserPoolId = _userPoolId, ClientId = client }));
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("UserPoolClient").GetProperty("RefreshTokenRotation");
    }

    private async Task<JsonElement> SignInAsync(string client)
    {
        var user = "user-" + Guid.NewGuid().ToString("N")[..10];
        using (var created = await _server.SignedUserPoolsAsync("AdminCreateUser", Json(new { UserPoolId = _userPoolId, Username = user, MessageAction = "SUPPRESS" })))
        {
            await AwsErrorAssert.IsSuccessAsync(created);
        }

        using (var set = await _server.SignedUserPoolsAsync("AdminSetUserPassword", Json(new { UserPoolId = _userPoolId, Username = user, Password, Permanent = true })))
        {
            await AwsErrorAssert.IsSuccessAsync(set);
        }

        using var signIn = await UnsignedAsync("InitiateAuth",
            Json(new { ClientId = client, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new { USERNAME = user, PASSWORD = Password } }));
        return (await AwsErrorAssert.IsSuccessAsync(signIn)).GetProperty("AuthenticationResult");
    }

    private async Task<JsonElement> RenewAsync(string client, string refreshToken)
    {
        using var response = await UnsignedAsync("GetTokensFromRefreshToken", Json(new { ClientId = client, RefreshToken = refreshToken }));
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("AuthenticationResult");
    }

    private async Task RefusedAsync(string client, string refreshToken, string because)
    {
        using var response = await UnsignedAsync("GetTokensFromRefreshToken", Json(new { ClientId = client, RefreshToken = refreshToken }));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "NotAuthorizedException"), Is.EqualTo("Invalid Refresh Token"), because);
    }

    private Task<HttpResponseMessage> UnsignedAsync(string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        return _server.Http.SendAsync(request);
    }

    private static string Claim(JsonElement result, string token, string claim)
    {
        var payload = result.GetProperty(token).GetString()!.Split('.')[1];
        var padded = payload.Replace('-', '+').Replace('_', '/').PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Convert.FromBase64String(padded)).RootElement.GetProperty(claim).ToString();
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
