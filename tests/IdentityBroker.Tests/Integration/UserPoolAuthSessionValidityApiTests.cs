using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// The app client's AuthSessionValidity through the real server (API reference, UserPoolClientType: 3–15 minutes, default 3):
/// Create/Update/DescribeUserPoolClient carry it, and a sign-in Session (here NEW_PASSWORD_REQUIRED's) lives exactly that
/// long on the broker's FakeTimeProvider clock.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class UserPoolAuthSessionValidityApiTests
{
    private const string Temporary = "Temporary-pass-1";

    private readonly Dictionary<string, string> _users = [];
    private FakeTimeProvider _time = null!;
    private BrokerServer _server = null!;
    private string _userPoolId = null!;

    /// <summary>A server per test: the clock moves minutes ahead, and signed calls must stay within SigV4's 15 minutes of it.</summary>
    [SetUp]
    public async Task StartAsync()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _server = await BrokerServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(_time));
        using var pool = await _server.SignedUserPoolsAsync("CreateUserPool", """{"PoolName":"SessionValidity"}""");
        _userPoolId = (await AwsErrorAssert.IsSuccessAsync(pool)).GetProperty("UserPool").GetProperty("Id").GetString()!;
    }

    [TearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task AuthSessionValidity_is_kept_described_replaced_by_an_update_and_defaults_to_three()
    {
        var seven = await CreateClientAsync(7);
        var plain = await CreateClientAsync(null);
        var described = (await DescribeAsync(seven), await DescribeAsync(plain));

        using (var update = await _server.SignedUserPoolsAsync("UpdateUserPoolClient",
            Json(new { UserPoolId = _userPoolId, ClientId = plain, AuthSessionValidity = 15 })))
        {
            await AwsErrorAssert.IsSuccessAsync(update);
        }

        var updated = await DescribeAsync(plain);
        using (var update = await _server.SignedUserPoolsAsync("UpdateUserPoolClient", Json(new { UserPoolId = _userPoolId, ClientId = seven })))
        {
            await AwsErrorAssert.IsSuccessAsync(update);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(described, Is.EqualTo((7, 3)));
            Assert.That(updated, Is.EqualTo(15));
            Assert.That(await DescribeAsync(seven), Is.EqualTo(3), "an update without it returns it to the default");
        });
    }

    [TestCase(2)]
    [TestCase(16)]
    public async Task AuthSessionValidity_outside_three_to_fifteen_is_a_validation_error(int minutes)
    {
        using var response = await _server.SignedUserPoolsAsync("CreateUserPoolClient",
            Json(new { UserPoolId = _userPoolId, ClientName = "bad", AuthSessionValidity = minutes }));
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(response, "ValidationException"), Does.Contain("authSessionValidity"));
    }

    [TestCase(7)]
    [TestCase(null)]
    public async Task A_sign_in_session_lives_the_clients_AuthSessionValidity_and_not_a_second_longer(int? minutes)
    {
        var client = await CreateClientAsync(minutes);
        var validity = TimeSpan.FromMinutes(minutes ?? 3);

        var inTime = await ChallengeSessionAsync(client, "intime");
        _time.Advance(validity - TimeSpan.FromSeconds(1));
        using (var answered = await AnswerAsync(client, "intime", inTime))
        {
            await AwsErrorAssert.IsSuccessAsync(answered);
        }

        var late = await ChallengeSessionAsync(client, "late");
        _time.Advance(validity);
        using var refused = await AnswerAsync(client, "late", late);
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(refused, "NotAuthorizedException"), Is.EqualTo("Invalid session for the user, session is expired."));
    }

    /// <summary>A new user with a temporary password signs in: the NEW_PASSWORD_REQUIRED challenge's Session.</summary>
    private async Task<string> ChallengeSessionAsync(string client, string prefix)
    {
        var user = prefix + Guid.NewGuid().ToString("N")[..8];
        using (var created = await _server.SignedUserPoolsAsync("AdminCreateUser",
            Json(new { UserPoolId = _userPoolId, Username = user, TemporaryPassword = Temporary, MessageAction = "SUPPRESS" })))
        {
            await AwsErrorAssert.IsSuccessAsync(created);
        }

        using var signIn = await UnsignedAsync("InitiateAuth",
            Json(new { ClientId = client, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new { USERNAME = user, PASSWORD = Temporary } }));
        var challenge = await AwsErrorAssert.IsSuccessAsync(signIn);
        Assert.That(challenge.GetProperty("ChallengeName").GetString(), Is.EqualTo("NEW_PASSWORD_REQUIRED"));
        _users[prefix] = user;
        return challenge.GetProperty("Session").GetString()!;
    }

    private Task<HttpResponseMessage> AnswerAsync(string client, string prefix, string session) =>
        UnsignedAsync("RespondToAuthChallenge", Json(new
        {
            ClientId = client,
            ChallengeName = "NEW_PASSWORD_REQUIRED",
            Session = session,
            ChallengeResponses = new { USERNAME = _users[prefix], NEW_PASSWORD = "Permanent-pass-2" },
        }));

    private async Task<string> CreateClientAsync(int? minutes)
    {
        var json = $$"""{"UserPoolId":"{{_userPoolId}}","ClientName":"validity","ExplicitAuthFlows":["ALLOW_USER_PASSWORD_AUTH"]"""
            + (minutes is null ? "}" : $$""","AuthSessionValidity":{{minutes}}}""");
        using var response = await _server.SignedUserPoolsAsync("CreateUserPoolClient", json);
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
    }

    private async Task<int> DescribeAsync(string client)
    {
        using var response = await _server.SignedUserPoolsAsync("DescribeUserPoolClient", Json(new { UserPoolId = _userPoolId, ClientId = client }));
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("UserPoolClient").GetProperty("AuthSessionValidity").GetInt32();
    }

    private Task<HttpResponseMessage> UnsignedAsync(string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        return _server.Http.SendAsync(request);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
