using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.HostedUi;
using IdentityBroker.UserPools.Mfa;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.SignIn;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// The hosted UI's sign-in steps (<see cref="HostedSignIn"/>) in the real server's services: the domain flows run without
/// the client's ExplicitAuthFlows or a SECRET_HASH, and end in an authenticated user instead of tokens, after
/// NEW_PASSWORD_REQUIRED, MFA_SETUP and SOFTWARE_TOKEN_MFA as after a plain password.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HostedSignInTests
{
    private const string Password = "Correct-horse-1";

    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private HostedSignIn SignIn => _server.Services.GetRequiredService<HostedSignIn>();

    private async Task<JsonElement> SignedAsync(string operation, object body)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, JsonSerializer.Serialize(body));
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    /// <summary>A pool and a client with a secret that allows only SRP: neither matters to the hosted UI.</summary>
    private async Task<(UserPool Pool, UserPoolClient Client)> PoolAsync(string mfa = "OFF")
    {
        var id = (await SignedAsync("CreateUserPool", new { PoolName = "hosted" })).GetProperty("UserPool").GetProperty("Id").GetString()!;
        if (mfa != "OFF")
        {
            await SignedAsync("SetUserPoolMfaConfig", new { UserPoolId = id, MfaConfiguration = mfa, SoftwareTokenMfaConfiguration = new { Enabled = true } });
        }

        var clientId = (await SignedAsync("CreateUserPoolClient", new
        {
            UserPoolId = id, ClientName = "web", GenerateSecret = true, ExplicitAuthFlows = new[] { "ALLOW_USER_SRP_AUTH" },
        })).GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!;
        var store = _server.Services.GetRequiredService<IUserPoolStore>();
        return ((await store.GetUserPoolAsync(id, default))!, (await store.GetClientAsync(id, clientId, default))!);
    }

    private async Task<string> UserAsync(UserPool pool, bool permanent = true)
    {
        var user = "user-" + Guid.NewGuid().ToString("N")[..10];
        await SignedAsync("AdminCreateUser", new { UserPoolId = pool.Id, Username = user, MessageAction = "SUPPRESS", TemporaryPassword = Password });
        if (permanent)
        {
            await SignedAsync("AdminSetUserPassword", new { UserPoolId = pool.Id, Username = user, Password, Permanent = true });
        }

        return user;
    }

    private static SignInOutcome Challenge(Result<SignInOutcome> outcome, string name)
    {
        Assert.That(outcome.IsSuccess, Is.True, outcome.Error?.Message);
        Assert.That(outcome.Value.ChallengeName, Is.EqualTo(name));
        return outcome.Value;
    }

    private static void AssertAuthenticated(Result<SignInOutcome> outcome, string username)
    {
        Assert.That(outcome.IsSuccess, Is.True, outcome.Error?.Message);
        Assert.That(outcome.Value.Tokens, Is.Null, "the hosted UI ends in a browser session and a code, not tokens");
        Assert.That(outcome.Value.HostedUser?.Username, Is.EqualTo(username));
    }

    private static string Code(string secret) => Totp.Code(Base32.Decode(secret), Totp.StepAt(DateTimeOffset.UtcNow));

    [Test]
    public async Task A_password_signs_in_without_the_clients_password_flow_or_a_secret_hash_and_ends_without_tokens()
    {
        var (pool, client) = await PoolAsync();
        var user = await UserAsync(pool);

        AssertAuthenticated(await SignIn.SignInAsync(pool, client, user, Password, default), user);
    }

    [Test]
    public async Task A_wrong_password_is_refused_in_Cognitos_words()
    {
        var (pool, client) = await PoolAsync();
        var user = await UserAsync(pool);

        var refused = await SignIn.SignInAsync(pool, client, user, "Wrong-horse-1", default);

        Assert.That(refused.Error?.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(refused.Error!.Message, Is.EqualTo("Incorrect username or password."));
    }

    [Test]
    public async Task A_temporary_password_asks_for_a_new_one_and_the_answer_ends_the_sign_in()
    {
        var (pool, client) = await PoolAsync();
        var user = await UserAsync(pool, permanent: false);

        var challenge = Challenge(await SignIn.SignInAsync(pool, client, user, Password, default), ChallengeNames.NewPasswordRequired);
        var answered = await SignIn.RespondAsync(pool, client, ChallengeNames.NewPasswordRequired, challenge.Session,
            new Dictionary<string, string> { ["NEW_PASSWORD"] = "Brand-new-horse-2" }, default);

        AssertAuthenticated(answered, user);
    }

    [Test]
    public async Task Required_MFA_sets_up_a_software_token_then_asks_for_its_code_at_the_next_sign_in()
    {
        var (pool, client) = await PoolAsync(mfa: "ON");
        var user = await UserAsync(pool);

        var setup = Challenge(await SignIn.SignInAsync(pool, client, user, Password, default), MfaChallengeNames.MfaSetup);
        var associated = await SignIn.AssociateTotpAsync(setup.Session, default);
        Assert.That(associated.IsSuccess, Is.True, associated.Error?.Message);
        AssertAuthenticated(await SignIn.VerifyTotpAsync(pool, client, associated.Value.Session, Code(associated.Value.SecretCode), default), user);

        var mfa = Challenge(await SignIn.SignInAsync(pool, client, user, Password, default), MfaKinds.SoftwareToken);
        var wrong = await SignIn.RespondAsync(pool, client, MfaKinds.SoftwareToken, mfa.Session,
            new Dictionary<string, string> { ["SOFTWARE_TOKEN_MFA_CODE"] = "000000" }, default);
        Assert.That(wrong.Error?.Type, Is.EqualTo("CodeMismatchException"));
    }

    [Test]
    public async Task A_session_of_another_client_or_challenge_is_refused()
    {
        var (pool, client) = await PoolAsync();
        var (_, other) = await PoolAsync();
        var user = await UserAsync(pool, permanent: false);
        var challenge = Challenge(await SignIn.SignInAsync(pool, client, user, Password, default), ChallengeNames.NewPasswordRequired);
        var answer = new Dictionary<string, string> { ["NEW_PASSWORD"] = "Brand-new-horse-2" };

        Assert.That((await SignIn.RespondAsync(pool, other, ChallengeNames.NewPasswordRequired, challenge.Session, answer, default)).Error?.Type,
            Is.EqualTo("NotAuthorizedException"));
        Assert.That((await SignIn.RespondAsync(pool, client, MfaKinds.SoftwareToken, challenge.Session, answer, default)).Error?.Type,
            Is.EqualTo("NotAuthorizedException"));
    }
}
