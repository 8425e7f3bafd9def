using System.Globalization;
using System.Text;
using System.Text.Json;
using IdentityBroker.Server.Messages;
using IdentityBroker.UserPools.Mfa;
using IdentityBroker.UserPools.SignIn;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// The MFA challenges of sign-in through the real server (docs/user-pools.md, "MFA"): SOFTWARE_TOKEN_MFA with RFC 6238
/// codes, SMS_MFA with the code read from the dev outbox, MFA_SETUP with AssociateSoftwareToken/VerifySoftwareToken on the
/// Session, SELECT_MFA_TYPE, and Cognito's refusals (wrong code, replayed code, reused Session).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class UserPoolMfaSignInApiTests
{
    private const string Password = "Correct-horse-1";

    private BrokerServer _server = null!;
    private FakeTimeProvider _time = null!;

    /// <summary>The broker's clock stands still unless a test moves it (the lockout test waits out a lockout on it).</summary>
    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _server = await BrokerServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(_time));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private sealed record Pool(string Id, string ClientId);

    private async Task<JsonElement> SignedAsync(string operation, object body)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, Json(body));
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<Pool> PoolAsync(string mode, bool totp, bool sms)
    {
        var id = (await SignedAsync("CreateUserPool", new { PoolName = "mfa" })).GetProperty("UserPool").GetProperty("Id").GetString()!;
        await SignedAsync("SetUserPoolMfaConfig", new
        {
            UserPoolId = id, MfaConfiguration = mode, SoftwareTokenMfaConfiguration = new { Enabled = totp },
            SmsMfaConfiguration = sms ? new { SmsAuthenticationMessage = "Sign-in code {####}" } : null,
        });
        var client = await SignedAsync("CreateUserPoolClient", new
        {
            UserPoolId = id, ClientName = "app", ExplicitAuthFlows = new[] { "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH" },
        });
        return new Pool(id, client.GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!);
    }

    private async Task<string> UserAsync(Pool pool, string? phone = null)
    {
        var user = "user-" + Guid.NewGuid().ToString("N")[..10];
        var attributes = phone is null ? [] : new[] { new { Name = "phone_number", Value = phone } };
        await SignedAsync("AdminCreateUser", new { UserPoolId = pool.Id, Username = user, MessageAction = "SUPPRESS", UserAttributes = attributes });
        await SignedAsync("AdminSetUserPassword", new { UserPoolId = pool.Id, Username = user, Password, Permanent = true });
        return user;
    }

    private Task<HttpResponseMessage> SignInAsync(Pool pool, string user) => UnsignedAsync("InitiateAuth",
        Json(new { ClientId = pool.ClientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new Dictionary<string, string> { ["USERNAME"] = user, ["PASSWORD"] = Password } }));

    private Task<HttpResponseMessage> RespondAsync(Pool pool, string challenge, string session, string user, params (string Name, string Value)[] answers)
    {
        var responses = answers.ToDictionary(a => a.Name, a => a.Value);
        responses["USERNAME"] = user;
        return UnsignedAsync("RespondToAuthChallenge", Json(new { ClientId = pool.ClientId, ChallengeName = challenge, Session = session, ChallengeResponses = responses }));
    }

    private Task<HttpResponseMessage> UnsignedAsync(string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        return _server.Http.SendAsync(request);
    }

    private async Task<JsonElement> UnsignedOkAsync(string operation, object body)
    {
        using var response = await UnsignedAsync(operation, Json(body));
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private static async Task<JsonElement> TokensAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await AwsErrorAssert.IsSuccessAsync(response);
            Assert.That(body.TryGetProperty("ChallengeName", out _), Is.False, body.ToString());
            return body.GetProperty("AuthenticationResult");
        }
    }

    private static async Task<(string Session, JsonElement Parameters)> ChallengeAsync(HttpResponseMessage response, string name)
    {
        using (response)
        {
            var body = await AwsErrorAssert.IsSuccessAsync(response);
            Assert.That(body.GetProperty("ChallengeName").GetString(), Is.EqualTo(name), body.ToString());
            return (body.GetProperty("Session").GetString()!, body.GetProperty("ChallengeParameters"));
        }
    }

    private string Code(string secret, int stepsAhead) =>
        Totp.Code(Base32.Decode(secret), Totp.StepAt(_time.GetUtcNow()) + stepsAhead);

    private static string Other(string code) =>
        ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("000000", CultureInfo.InvariantCulture);

    /// <summary>Signs in (no MFA yet), associates and verifies a software token with the access token, and returns its secret.</summary>
    private async Task<string> WithSoftwareTokenAsync(Pool pool, string user, bool prefer)
    {
        var access = (await TokensAsync(await SignInAsync(pool, user))).GetProperty("AccessToken").GetString()!;
        var secret = (await UnsignedOkAsync("AssociateSoftwareToken", new { AccessToken = access })).GetProperty("SecretCode").GetString()!;
        await UnsignedOkAsync("VerifySoftwareToken", new { AccessToken = access, UserCode = Code(secret, 0) });
        if (prefer)
        {
            await UnsignedOkAsync("SetUserMFAPreference", new { AccessToken = access, SoftwareTokenMfaSettings = new { Enabled = true, PreferredMfa = true } });
        }

        return secret;
    }

    [Test]
    public async Task SOFTWARE_TOKEN_MFA_is_answered_with_a_fresh_code_and_refuses_wrong_and_replayed_codes()
    {
        var pool = await PoolAsync("OPTIONAL", totp: true, sms: false);
        var user = await UserAsync(pool);
        var secret = await WithSoftwareTokenAsync(pool, user, prefer: true);

        var wrong = await ChallengeAsync(await SignInAsync(pool, user), "SOFTWARE_TOKEN_MFA");
        using (var mismatch = await RespondAsync(pool, "SOFTWARE_TOKEN_MFA", wrong.Session, user, ("SOFTWARE_TOKEN_MFA_CODE", Other(Code(secret, 1)))))
        {
            Assert.That(await AwsErrorAssert.IsJsonErrorAsync(mismatch, "CodeMismatchException"), Is.EqualTo("Invalid code or auth state for the user."));
        }

        using (var reused = await RespondAsync(pool, "SOFTWARE_TOKEN_MFA", wrong.Session, user, ("SOFTWARE_TOKEN_MFA_CODE", Code(secret, 1))))
        {
            await AwsErrorAssert.IsJsonErrorAsync(reused, "NotAuthorizedException");
        }

        // The verification used the current step; the next step's code is still inside the ±1 window.
        var code = Code(secret, 1);
        var challenge = await ChallengeAsync(await SignInAsync(pool, user), "SOFTWARE_TOKEN_MFA");
        var tokens = await TokensAsync(await RespondAsync(pool, "SOFTWARE_TOKEN_MFA", challenge.Session, user, ("SOFTWARE_TOKEN_MFA_CODE", code)));
        Assert.That(tokens.GetProperty("IdToken").GetString(), Is.Not.Empty);

        var again = await ChallengeAsync(await SignInAsync(pool, user), "SOFTWARE_TOKEN_MFA");
        using var replay = await RespondAsync(pool, "SOFTWARE_TOKEN_MFA", again.Session, user, ("SOFTWARE_TOKEN_MFA_CODE", code));
        await AwsErrorAssert.IsJsonErrorAsync(replay, "CodeMismatchException");
    }

    [Test]
    public async Task An_optional_pool_does_not_challenge_a_user_without_MFA()
    {
        var pool = await PoolAsync("OPTIONAL", totp: true, sms: true);
        var user = await UserAsync(pool, phone: "+15555550123");
        Assert.That((await TokensAsync(await SignInAsync(pool, user))).GetProperty("AccessToken").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task MFA_SETUP_sets_up_a_software_token_with_the_Session_and_then_signs_in()
    {
        var pool = await PoolAsync("ON", totp: true, sms: false);
        var user = await UserAsync(pool);

        var setup = await ChallengeAsync(await SignInAsync(pool, user), "MFA_SETUP");
        Assert.That(setup.Parameters.GetProperty("MFAS_CAN_SETUP").GetString(), Is.EqualTo("""["SOFTWARE_TOKEN_MFA"]"""));

        var associated = await UnsignedOkAsync("AssociateSoftwareToken", new { Session = setup.Session });
        var secret = associated.GetProperty("SecretCode").GetString()!;
        using (var early = await RespondAsync(pool, "MFA_SETUP", associated.GetProperty("Session").GetString()!, user))
        {
            await AwsErrorAssert.IsJsonErrorAsync(early, "NotAuthorizedException");
        }

        var associatedAgain = await UnsignedOkAsync("AssociateSoftwareToken", new { Session = (await ChallengeAsync(await SignInAsync(pool, user), "MFA_SETUP")).Session });
        secret = associatedAgain.GetProperty("SecretCode").GetString()!;
        var verified = await UnsignedOkAsync("VerifySoftwareToken", new { Session = associatedAgain.GetProperty("Session").GetString(), UserCode = Code(secret, 0) });
        Assert.That(verified.GetProperty("Status").GetString(), Is.EqualTo("SUCCESS"));

        var tokens = await TokensAsync(await RespondAsync(pool, "MFA_SETUP", verified.GetProperty("Session").GetString()!, user));
        Assert.That(tokens.GetProperty("AccessToken").GetString(), Is.Not.Empty);

        // From now on the user has a software token: the next sign-in asks for it.
        await ChallengeAsync(await SignInAsync(pool, user), "SOFTWARE_TOKEN_MFA");
    }

    [Test]
    public async Task SMS_MFA_sends_a_code_to_the_phone_and_accepts_it_once()
    {
        var pool = await PoolAsync("OPTIONAL", totp: false, sms: true);
        var user = await UserAsync(pool, phone: "+15555550123");
        await SignedAsync("AdminSetUserMFAPreference", new { UserPoolId = pool.Id, Username = user, SMSMfaSettings = new { Enabled = true, PreferredMfa = true } });

        var challenge = await ChallengeAsync(await SignInAsync(pool, user), "SMS_MFA");
        Assert.That(challenge.Parameters.GetProperty("CODE_DELIVERY_DELIVERY_MEDIUM").GetString(), Is.EqualTo("SMS"));
        Assert.That(challenge.Parameters.GetProperty("CODE_DELIVERY_DESTINATION").GetString(), Is.EqualTo("+*******0123"));
        var message = _server.Services.GetRequiredService<DevOutbox>().Read(pool.Id, user)[0];
        Assert.That(message.Body, Does.StartWith("Sign-in code "));
        var code = message.Body["Sign-in code ".Length..];

        var tokens = await TokensAsync(await RespondAsync(pool, "SMS_MFA", challenge.Session, user, ("SMS_MFA_CODE", code)));
        Assert.That(tokens.GetProperty("IdToken").GetString(), Is.Not.Empty);

        var again = await ChallengeAsync(await SignInAsync(pool, user), "SMS_MFA");
        using var old = await RespondAsync(pool, "SMS_MFA", again.Session, user, ("SMS_MFA_CODE", code == "000000" ? "000001" : "000000"));
        await AwsErrorAssert.IsJsonErrorAsync(old, "CodeMismatchException");
    }

    [Test]
    public async Task EMAIL_OTP_mails_a_code_to_the_user_and_refuses_a_wrong_one()
    {
        var (pool, user) = await EmailMfaUserAsync();

        var challenge = await ChallengeAsync(await SignInAsync(pool, user), "EMAIL_OTP");
        Assert.That(challenge.Parameters.GetProperty("CODE_DELIVERY_DELIVERY_MEDIUM").GetString(), Is.EqualTo("EMAIL"));
        Assert.That(challenge.Parameters.GetProperty("CODE_DELIVERY_DESTINATION").GetString(), Is.EqualTo("l***@e***"));
        var message = _server.Services.GetRequiredService<DevOutbox>().Read(pool.Id, user)[0];
        Assert.That(message.Body, Does.StartWith("Mail code "));
        Assert.That(message.Subject, Is.EqualTo("Your code"));
        var code = message.Body["Mail code ".Length..];

        using (var wrong = await RespondAsync(pool, "EMAIL_OTP", challenge.Session, user, ("EMAIL_OTP_CODE", Other(code))))
        {
            await AwsErrorAssert.IsJsonErrorAsync(wrong, "CodeMismatchException");
        }

        var again = await ChallengeAsync(await SignInAsync(pool, user), "EMAIL_OTP");
        var fresh = _server.Services.GetRequiredService<DevOutbox>().Read(pool.Id, user)[0].Body["Mail code ".Length..];
        var tokens = await TokensAsync(await RespondAsync(pool, "EMAIL_OTP", again.Session, user, ("EMAIL_OTP_CODE", fresh)));
        Assert.That(tokens.GetProperty("IdToken").GetString(), Is.Not.Empty);
    }

    /// <summary>
    /// Wrong MFA codes count toward the sign-in lockout as wrong passwords do: after five, the right password is refused with
    /// "Password attempts exceeded" (the count is not reset by the password, only by a completed sign-in), and once the
    /// lockout has passed the right code signs in and starts the count again.
    /// </summary>
    [TestCase("SOFTWARE_TOKEN_MFA")]
    [TestCase("SMS_MFA")]
    [TestCase("EMAIL_OTP")]
    public async Task Five_wrong_MFA_codes_lock_the_user_out_as_five_wrong_passwords_do(string challengeName)
    {
        var (pool, user, rightCode) = await MfaUserAsync(challengeName);
        var codeName = challengeName == "EMAIL_OTP" ? "EMAIL_OTP_CODE" : challengeName + "_CODE";
        for (var attempt = 1; attempt <= SignInLockout.FreeFailures; attempt++)
        {
            var challenge = await ChallengeAsync(await SignInAsync(pool, user), challengeName);
            using var wrong = await RespondAsync(pool, challengeName, challenge.Session, user, (codeName, Other(rightCode())));
            await AwsErrorAssert.IsJsonErrorAsync(wrong, "CodeMismatchException");
        }

        using (var locked = await SignInAsync(pool, user))
        {
            Assert.That(await AwsErrorAssert.IsJsonErrorAsync(locked, "NotAuthorizedException"), Is.EqualTo("Password attempts exceeded"));
        }

        _time.Advance(TimeSpan.FromSeconds(2));
        var after = await ChallengeAsync(await SignInAsync(pool, user), challengeName);
        Assert.That((await TokensAsync(await RespondAsync(pool, challengeName, after.Session, user, (codeName, rightCode())))).GetProperty("IdToken").GetString(),
            Is.Not.Empty);

        // Counted from 0 again: four more wrong codes leave the password usable.
        for (var attempt = 1; attempt < SignInLockout.FreeFailures; attempt++)
        {
            var challenge = await ChallengeAsync(await SignInAsync(pool, user), challengeName);
            using var wrong = await RespondAsync(pool, challengeName, challenge.Session, user, (codeName, Other(rightCode())));
            await AwsErrorAssert.IsJsonErrorAsync(wrong, "CodeMismatchException");
        }

        await ChallengeAsync(await SignInAsync(pool, user), challengeName);
    }

    /// <summary>A user whose sign-in asks for <paramref name="challengeName"/>, and how to read the code it would accept now.</summary>
    private async Task<(Pool Pool, string User, Func<string> RightCode)> MfaUserAsync(string challengeName)
    {
        switch (challengeName)
        {
            case "SOFTWARE_TOKEN_MFA":
            {
                var pool = await PoolAsync("OPTIONAL", totp: true, sms: false);
                var user = await UserAsync(pool);
                var secret = await WithSoftwareTokenAsync(pool, user, prefer: true);

                // The next step's code: the verification used the current one, and the clock moves by seconds only.
                return (pool, user, () => Code(secret, 1));
            }

            case "SMS_MFA":
            {
                var pool = await PoolAsync("OPTIONAL", totp: false, sms: true);
                var user = await UserAsync(pool, phone: "+15555550123");
                await SignedAsync("AdminSetUserMFAPreference", new { UserPoolId = pool.Id, Username = user, SMSMfaSettings = new { Enabled = true, PreferredMfa = true } });
                return (pool, user, () => LatestCode(pool, user, "Sign-in code "));
            }

            default:
            {
                var (pool, user) = await EmailMfaUserAsync();
                return (pool, user, () => LatestCode(pool, user, "Mail code "));
            }
        }
    }

    /// <summary>A pool with email MFA ("Mail code {####}", subject "Your code") and a user who prefers it.</summary>
    private async Task<(Pool Pool, string User)> EmailMfaUserAsync()
    {
        var id = (await SignedAsync("CreateUserPool", new { PoolName = "mfa-email" })).GetProperty("UserPool").GetProperty("Id").GetString()!;
        await SignedAsync("SetUserPoolMfaConfig", new
        {
            UserPoolId = id, MfaConfiguration = "OPTIONAL", EmailMfaConfiguration = new { Message = "Mail code {####}", Subject = "Your code" },
        });
        var client = await SignedAsync("CreateUserPoolClient", new { UserPoolId = id, ClientName = "app", ExplicitAuthFlows = new[] { "ALLOW_USER_PASSWORD_AUTH" } });
        var pool = new Pool(id, client.GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!);
        var user = "user-" + Guid.NewGuid().ToString("N")[..10];
        await SignedAsync("AdminCreateUser", new
        {
            UserPoolId = pool.Id, Username = user, MessageAction = "SUPPRESS",
            UserAttributes = new[] { new { Name = "email", Value = "lee@example.com" }, new { Name = "email_verified", Value = "true" } },
        });
        await SignedAsync("AdminSetUserPassword", new { UserPoolId = pool.Id, Username = user, Password, Permanent = true });
        await SignedAsync("AdminSetUserMFAPreference", new { UserPoolId = pool.Id, Username = user, EmailMfaSettings = new { Enabled = true, PreferredMfa = true } });
        return (pool, user);
    }

    private string LatestCode(Pool pool, string user, string prefix) => _server.Services.GetRequiredService<DevOutbox>().Read(pool.Id, user)[0].Body[prefix.Length..];

    [Test]
    public async Task SELECT_MFA_TYPE_lets_a_user_with_two_factors_and_no_preference_choose()
    {
        var pool = await PoolAsync("OPTIONAL", totp: true, sms: true);
        var user = await UserAsync(pool, phone: "+15555550199");
        var secret = await WithSoftwareTokenAsync(pool, user, prefer: false);
        await SignedAsync("AdminSetUserMFAPreference", new { UserPoolId = pool.Id, Username = user, SMSMfaSettings = new { Enabled = true, PreferredMfa = false } });

        var select = await ChallengeAsync(await SignInAsync(pool, user), "SELECT_MFA_TYPE");
        Assert.That(select.Parameters.GetProperty("MFAS_CAN_CHOOSE").GetString(), Is.EqualTo("""["SMS_MFA","SOFTWARE_TOKEN_MFA"]"""));

        var totp = await ChallengeAsync(await RespondAsync(pool, "SELECT_MFA_TYPE", select.Session, user, ("ANSWER", "SOFTWARE_TOKEN_MFA")), "SOFTWARE_TOKEN_MFA");
        var tokens = await TokensAsync(await RespondAsync(pool, "SOFTWARE_TOKEN_MFA", totp.Session, user, ("SOFTWARE_TOKEN_MFA_CODE", Code(secret, 1))));
        Assert.That(tokens.GetProperty("IdToken").GetString(), Is.Not.Empty);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
