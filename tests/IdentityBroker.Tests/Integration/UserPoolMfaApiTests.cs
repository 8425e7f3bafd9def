using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Mfa;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// The MFA operations through the real server (docs/user-pools.md, "MFA"): the pool's MFA configuration and Cognito's
/// refusals, software-token association and verification with RFC 6238 codes, preferences and what AdminGetUser shows.
/// </summary>
[TestFixture]
public sealed class UserPoolMfaApiTests
{
    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> CallAsync(string operation, string json)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<string> ErrorAsync(string operation, string json, string type)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsJsonErrorAsync(response, type);
    }

    private async Task<HttpResponseMessage> UnsignedAsync(string operation, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        return await _server.Http.SendAsync(request);
    }

    private async Task<string> PoolAsync() =>
        (await CallAsync("CreateUserPool", """{"PoolName":"mfa"}""")).GetProperty("UserPool").GetProperty("Id").GetString()!;

    /// <summary>A user made by AdminCreateUser and an access token for it (sign-in is another slice: the session is started in process).</summary>
    private async Task<(string Username, string AccessToken)> UserAsync(string pool, string username, string attributes = "[]")
    {
        await CallAsync("AdminCreateUser",
            $$"""{"UserPoolId":"{{pool}}","Username":"{{username}}","UserAttributes":{{attributes}},"TemporaryPassword":"Str0ng!Passw0rd-Longer","MessageAction":"SUPPRESS"}""");
        var client = await CallAsync("CreateUserPoolClient", $$"""{"UserPoolId":"{{pool}}","ClientName":"app"}""");
        var clientId = client.GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
        var user = await CallAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"{{username}}"}""");
        var sub = user.GetProperty("UserAttributes").EnumerateArray().First(a => a.GetProperty("Name").GetString() == "sub").GetProperty("Value").GetString()!;
        var stored = (await _server.Services.GetRequiredService<IUserPoolStore>().GetClientAsync(pool, clientId, CancellationToken.None))!;
        var grant = new TokenGrant(stored, sub, username, new Dictionary<string, string>(), GroupClaims.None, DateTimeOffset.UtcNow);
        var tokens = await _server.Services.GetRequiredService<UserPoolSessions>().StartAsync(grant, CancellationToken.None);
        return (username, tokens.AccessToken);
    }

    private static string Code(string secret, int stepsAhead = 0) =>
        Totp.Code(Base32.Decode(secret), Totp.StepAt(DateTimeOffset.UtcNow) + stepsAhead);

    [Test]
    public async Task The_pool_MFA_configuration_is_kept_and_DescribeUserPool_agrees()
    {
        var pool = await PoolAsync();
        var set = await CallAsync("SetUserPoolMfaConfig",
            $$$"""{"UserPoolId":"{{{pool}}}","MfaConfiguration":"OPTIONAL","SoftwareTokenMfaConfiguration":{"Enabled":true},"SmsMfaConfiguration":{"SmsAuthenticationMessage":"Code {####}"}}""");
        var got = await CallAsync("GetUserPoolMfaConfig", $$"""{"UserPoolId":"{{pool}}"}""");
        var described = await CallAsync("DescribeUserPool", $$"""{"UserPoolId":"{{pool}}"}""");

        Assert.That(set.GetRawText(), Is.EqualTo(got.GetRawText()));
        Assert.That(got.GetProperty("MfaConfiguration").GetString(), Is.EqualTo("OPTIONAL"));
        Assert.That(got.GetProperty("SoftwareTokenMfaConfiguration").GetProperty("Enabled").GetBoolean(), Is.True);
        Assert.That(got.GetProperty("SmsMfaConfiguration").GetProperty("SmsAuthenticationMessage").GetString(), Is.EqualTo("Code {####}"));
        Assert.That(got.TryGetProperty("EmailMfaConfiguration", out _), Is.False);
        Assert.That(described.GetProperty("UserPool").GetProperty("MfaConfiguration").GetString(), Is.EqualTo("OPTIONAL"));
    }

    [Test]
    public async Task UpdateUserPool_keeps_the_factors_SetUserPoolMfaConfig_set()
    {
        var pool = await PoolAsync();
        await CallAsync("SetUserPoolMfaConfig", $$$"""{"UserPoolId":"{{{pool}}}","MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}}""");
        await CallAsync("UpdateUserPool", $$"""{"UserPoolId":"{{pool}}","MfaConfiguration":"ON"}""");

        var got = await CallAsync("GetUserPoolMfaConfig", $$"""{"UserPoolId":"{{pool}}"}""");
        Assert.That(got.GetProperty("SoftwareTokenMfaConfiguration").GetProperty("Enabled").GetBoolean(), Is.True);
    }

    [TestCase("""{"MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":false}}""", "can't disable all MFAs")]
    [TestCase("""{"MfaConfiguration":"OPTIONAL"}""", "can't disable all MFAs")]
    [TestCase("""{"MfaConfiguration":"OFF","SoftwareTokenMfaConfiguration":{"Enabled":true}}""", "can't turn off MFA and configure an MFA together")]
    public async Task Inconsistent_pool_configurations_are_refused_and_change_nothing(string body, string message)
    {
        var pool = await PoolAsync();
        var json = body.Insert(1, $"\"UserPoolId\":\"{pool}\",");
        Assert.That(await ErrorAsync("SetUserPoolMfaConfig", json, "InvalidParameterException"), Does.Contain(message));
        var got = await CallAsync("GetUserPoolMfaConfig", $$"""{"UserPoolId":"{{pool}}"}""");
        Assert.That(got.GetProperty("MfaConfiguration").GetString(), Is.EqualTo("OFF"));
    }

    [TestCase("""{"MfaConfiguration":"SOMETIMES"}""")]
    [TestCase("""{"SmsMfaConfiguration":{"SmsAuthenticationMessage":"no code here"}}""")]
    [TestCase("""{"SmsMfaConfiguration":{"SmsConfiguration":{}}}""")]
    [TestCase("""{"EmailMfaConfiguration":{"Message":"short"}}""")]
    public async Task Members_outside_the_model_are_a_ValidationException(string body)
    {
        var pool = await PoolAsync();
        await ErrorAsync("SetUserPoolMfaConfig", body.Insert(1, $"\"UserPoolId\":\"{pool}\","), "ValidationException");
    }

    [Test]
    public async Task An_unknown_pool_is_ResourceNotFoundException() =>
        Assert.That(await ErrorAsync("GetUserPoolMfaConfig", """{"UserPoolId":"us-east-1_Missing00"}""", "ResourceNotFoundException"),
            Is.EqualTo("User pool us-east-1_Missing00 does not exist."));

    [Test]
    public async Task A_verified_software_token_can_be_preferred_and_AdminGetUser_shows_it()
    {
        var pool = await PoolAsync();
        var (username, access) = await UserAsync(pool, "tess");

        using var associated = await UnsignedAsync("AssociateSoftwareToken", $$"""{"AccessToken":"{{access}}"}""");
        var secret = (await AwsErrorAssert.IsSuccessAsync(associated)).GetProperty("SecretCode").GetString()!;
        Assert.That(secret, Does.Match("^[A-Z2-7]{32}$"));

        using var verified = await UnsignedAsync("VerifySoftwareToken", $$"""{"AccessToken":"{{access}}","UserCode":"{{Code(secret)}}","FriendlyDeviceName":"phone"}""");
        Assert.That((await AwsErrorAssert.IsSuccessAsync(verified)).GetProperty("Status").GetString(), Is.EqualTo("SUCCESS"));

        using var preferred = await UnsignedAsync("SetUserMFAPreference",
            $$$"""{"AccessToken":"{{{access}}}","SoftwareTokenMfaSettings":{"Enabled":true,"PreferredMfa":true}}""");
        await AwsErrorAssert.IsSuccessAsync(preferred);

        var user = await CallAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"{{username}}"}""");
        Assert.That(user.GetProperty("PreferredMfaSetting").GetString(), Is.EqualTo("SOFTWARE_TOKEN_MFA"));
        Assert.That(user.GetProperty("UserMFASettingList").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "SOFTWARE_TOKEN_MFA" }));
        Assert.That(user.GetRawText(), Does.Not.Contain(secret));
    }

    [Test]
    public async Task A_wrong_code_and_a_replayed_code_are_refused_with_Cognitos_error()
    {
        var pool = await PoolAsync();
        var (_, access) = await UserAsync(pool, "rex");
        using var associated = await UnsignedAsync("AssociateSoftwareToken", $$"""{"AccessToken":"{{access}}"}""");
        var secret = (await AwsErrorAssert.IsSuccessAsync(associated)).GetProperty("SecretCode").GetString()!;
        var wrong = ((int.Parse(Code(secret), System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("000000", System.Globalization.CultureInfo.InvariantCulture);

        using var mismatch = await UnsignedAsync("VerifySoftwareToken", $$"""{"AccessToken":"{{access}}","UserCode":"{{wrong}}"}""");
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(mismatch, "EnableSoftwareTokenMFAException"), Is.EqualTo("Code mismatch and fail enable Software Token MFA"));

        var code = Code(secret, stepsAhead: 1);
        using var first = await UnsignedAsync("VerifySoftwareToken", $$"""{"AccessToken":"{{access}}","UserCode":"{{code}}"}""");
        await AwsErrorAssert.IsSuccessAsync(first);
        using var again = await UnsignedAsync("AssociateSoftwareToken", $$"""{"AccessToken":"{{access}}"}""");
        await AwsErrorAssert.IsSuccessAsync(again);
        using var replay = await UnsignedAsync("VerifySoftwareToken", $$"""{"AccessToken":"{{access}}","UserCode":"{{code}}"}""");
        await AwsErrorAssert.IsJsonErrorAsync(replay, "EnableSoftwareTokenMFAException");
    }

    [Test]
    public async Task Verifying_before_associating_is_SoftwareTokenMFANotFoundException()
    {
        var pool = await PoolAsync();
        var (_, access) = await UserAsync(pool, "nora");
        using var response = await UnsignedAsync("VerifySoftwareToken", $$"""{"AccessToken":"{{access}}","UserCode":"123456"}""");
        await AwsErrorAssert.IsJsonErrorAsync(response, "SoftwareTokenMFANotFoundException");
    }

    [Test]
    public async Task A_software_token_call_without_a_valid_access_token_is_refused()
    {
        using var none = await UnsignedAsync("AssociateSoftwareToken", "{}");
        await AwsErrorAssert.IsJsonErrorAsync(none, "InvalidParameterException");
        using var forged = await UnsignedAsync("AssociateSoftwareToken", """{"AccessToken":"eyJhbGciOiJSUzI1NiJ9.e30.c2ln"}""");
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(forged, "NotAuthorizedException"), Is.EqualTo("Invalid Access Token"));
    }

    [Test]
    public async Task AdminSetUserMFAPreference_needs_the_users_address_and_a_verified_token()
    {
        var pool = await PoolAsync();
        await UserAsync(pool, "ivy", """[{"Name":"email","Value":"ivy@example.com"}]""");

        Assert.That(await ErrorAsync("AdminSetUserMFAPreference",
                $$$"""{"UserPoolId":"{{{pool}}}","Username":"ivy","SMSMfaSettings":{"Enabled":true}}""", "InvalidParameterException"),
            Is.EqualTo("User does not have delivery config set to turn on SMS_MFA"));
        Assert.That(await ErrorAsync("AdminSetUserMFAPreference",
                $$$"""{"UserPoolId":"{{{pool}}}","Username":"ivy","SoftwareTokenMfaSettings":{"Enabled":true}}""", "InvalidParameterException"),
            Is.EqualTo("User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"));
        await CallAsync("AdminSetUserMFAPreference",
            $$$"""{"UserPoolId":"{{{pool}}}","Username":"ivy","EmailMfaSettings":{"Enabled":true,"PreferredMfa":true}}""");

        var user = await CallAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"ivy"}""");
        Assert.That(user.GetProperty("PreferredMfaSetting").GetString(), Is.EqualTo("EMAIL_OTP"));
        Assert.That(user.GetProperty("UserMFASettingList").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "EMAIL_OTP" }));
        await ErrorAsync("AdminSetUserMFAPreference", $$$"""{"UserPoolId":"{{{pool}}}","Username":"nobody","EmailMfaSettings":{"Enabled":true}}""",
            "UserNotFoundException");
    }
}
