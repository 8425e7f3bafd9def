using IdentityBroker.Tests.UserPools.Tokens;
using IdentityBroker.Tests.UserPools.Triggers;
using IdentityBroker.UserPools;
using IdentityBroker.UserPools.CompromisedPasswords;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Mfa;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Risk;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Srp;
using IdentityBroker.UserPools.Triggers;
using IdentityBroker.UserPools.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tests.UserPools.SignIn;

/// <summary>
/// The password flows over a real SQLite store and a fixed clock: the lockout as it grows and clears, the rehash, and an
/// unknown user answered like a wrong password when the client hides user existence.
/// </summary>
[TestFixture]
public sealed class PasswordSignInTests
{
    private const string Password = "Correct-horse-1";

    private UserPoolTokenKit _kit = null!;
    private UserPool _pool = null!;
    private PasswordSignIn _signIn = null!;
    private SrpSignIn _srp = null!;
    private UserLookup _lookup = null!;
    private UserPasswords _passwords = null!;
    private CountingWritesStore _counting = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _kit = await new UserPoolTokenKit().WithPoolAsync();
        _pool = (await _kit.Store.GetUserPoolAsync(UserPoolTokenKit.PoolId, default))!;
        var hashes = new PasswordHashes(Options.Create(new PasswordHashingOptions()));
        _passwords = new UserPasswords(hashes, _kit.Time);
        _counting = new CountingWritesStore(_kit.Store, _kit.Store);
        _lookup = new UserLookup(_counting);
        var writes = new UserWrites(_kit.Store, _counting, _lookup, _kit.Time);
        var sessions = new SignInSessions(_kit.Store, _kit.Store, _kit.Time);
        var unknown = new UnknownUsers(hashes, sessions, _counting, _kit.Time);
        var attempts = new SignInAttempts(writes, hashes, _kit.Time);
        // The pool's MfaConfiguration is OFF: the MFA step never sends a code, so it needs no CodeDelivery.
        var steps = new SignInSteps(sessions, new GroupMembershipOperations(_kit.Store, _kit.Store, _kit.Store, _lookup), _kit.Sessions,
            new CompromisedSignIn(new CompromisedPasswordGate(new CompromisedPasswordCheck([], WhenSourceUnavailable.Allow, NullLoggerFactory.Instance, _kit.Time)), writes),
            new MfaStep(sessions, null!), _kit.Time, new LifecycleTriggers(NoTriggerFunctions.Invoker), new TokenTriggers(NoTriggerFunctions.Invoker),
            attempts);
        // The pool has no LambdaConfig: no trigger runs, and user migration (which would create users) never sends anything.
        var migration = new UserMigration(NoTriggerFunctions.Invoker, new UserOperations(_kit.Store, _kit.Store, writes, _passwords, null!, _kit.Time,
            new LifecycleTriggers(NoTriggerFunctions.Invoker), new MessageTriggers(NoTriggerFunctions.Invoker)),
            _passwords, writes, null!);
        var lifecycle = new LifecycleTriggers(NoTriggerFunctions.Invoker);
        _signIn = new PasswordSignIn(_lookup, hashes, attempts, unknown, steps, _kit.Time, migration, lifecycle);
        _srp = new SrpSignIn(_lookup, _counting, sessions, attempts, unknown, steps, _kit.Time, lifecycle);
    }

    [TearDown]
    public async Task TearDownAsync() => await _kit.DisposeAsync();

    private UserPoolClient Client(string preventUserExistenceErrors) =>
        _kit.Client with { Settings = _kit.Client.Settings with { PreventUserExistenceErrors = preventUserExistenceErrors } };

    private async Task<PoolUser> CreateUserAsync(string username = "alice")
    {
        var user = new PoolUser
        {
            UserPoolId = _pool.Id, Username = username, Sub = Guid.NewGuid().ToString(), UserStatus = UserStatuses.Confirmed,
            CreationDate = _kit.Time.GetUtcNow(), LastModifiedDate = _kit.Time.GetUtcNow(),
        };
        user = _passwords.Set(_pool, user, Password, temporary: false).Value;
        return (await _kit.Store.TryCreateUserAsync(user, UserKeys.Of(_pool, user), default)).User!;
    }

    private Task<IdentityBroker.Errors.Result<SignInOutcome>> SignInAsync(string password, string username = "alice", string prevent = "LEGACY") =>
        _signIn.SignInAsync(_pool, Client(prevent), username, password, default);

    private async Task<SignInFailures> FailuresAsync() => (await _lookup.FindAsync(_pool, "alice", default))!.Failures;

    [Test]
    public async Task Five_wrong_passwords_lock_the_user_out_for_a_second_even_for_the_right_password()
    {
        await CreateUserAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.That((await SignInAsync("Wrong-password-1")).Error, Is.EqualTo(UserPoolErrors.IncorrectUsernameOrPassword));
        }

        Assert.That((await SignInAsync(Password)).Error, Is.EqualTo(SignInErrors.PasswordAttemptsExceeded));
        _kit.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.That((await SignInAsync(Password)).Value.Tokens, Is.Not.Null);
        Assert.That(await FailuresAsync(), Is.EqualTo(SignInFailures.None));
    }

    [Test]
    public async Task Each_failure_after_the_fifth_doubles_the_lockout_and_refused_attempts_do_not_count()
    {
        await CreateUserAsync();
        for (var i = 0; i < 5; i++)
        {
            await SignInAsync("Wrong-password-1");
        }

        for (var seconds = 1; seconds <= 8; seconds *= 2)
        {
            Assert.That((await SignInAsync("Wrong-password-1")).Error, Is.EqualTo(SignInErrors.PasswordAttemptsExceeded), "during the lockout");
            _kit.Time.Advance(TimeSpan.FromSeconds(seconds));
            Assert.That((await SignInAsync("Wrong-password-1")).Error, Is.EqualTo(UserPoolErrors.IncorrectUsernameOrPassword), "after it");
            Assert.That((await FailuresAsync()).LockedUntil, Is.EqualTo(_kit.Time.GetUtcNow() + TimeSpan.FromSeconds(seconds * 2)));
        }

        Assert.That((await FailuresAsync()).Count, Is.EqualTo(9));
    }

    [Test]
    public async Task A_hash_made_at_a_lower_cost_is_replaced_at_the_configured_cost_on_sign_in()
    {
        var user = await CreateUserAsync();
        var weak = new PasswordHasherV2().Hash(Password);
        var stored = await _kit.Store.GetUserAsync(_pool.Id, user.Sub, default);
        await _kit.Store.UpdateUserAsync(stored! with { Password = stored.Password! with { Hash = weak } }, UserKeys.Of(_pool, stored), default);

        Assert.That((await SignInAsync(Password)).Value.Tokens, Is.Not.Null);
        var rehashed = (await _kit.Store.GetUserAsync(_pool.Id, user.Sub, default))!.Password!.Hash;
        Assert.Multiple(() =>
        {
            Assert.That(rehashed, Is.Not.EqualTo(weak));
            Assert.That(new PasswordHashes(Options.Create(new PasswordHashingOptions())).Verify(rehashed, Password), Is.EqualTo(PasswordCheck.Match));
        });
    }

    [Test]
    public async Task An_unknown_user_is_named_by_a_legacy_client_and_hidden_as_a_wrong_password_when_prevented()
    {
        await CreateUserAsync();
        Assert.Multiple(async () =>
        {
            Assert.That((await SignInAsync(Password, "nobody")).Error, Is.EqualTo(UserErrors.UserNotFound));
            Assert.That((await SignInAsync(Password, "nobody", "ENABLED")).Error,
                Is.EqualTo((await SignInAsync("Wrong-password-1", "alice", "ENABLED")).Error));
        });
    }

    /// <summary>Five wrong answers, one refused during the lockout, then after each lockout one more wrong and one refused.</summary>
    private async Task<(List<string> Answers, int Writes)> WrongAttemptsAsync(string username)
    {
        var answers = new List<string>();
        var before = _counting.Writes;
        async Task AttemptAsync(string password) =>
            answers.Add((await SignInAsync(password, username, "ENABLED")).Error is { } error ? $"{error.Type}: {error.Message}" : "signed in");
        for (var i = 0; i < 5; i++)
        {
            await AttemptAsync("Wrong-password-1");
        }

        for (var seconds = 1; seconds <= 4; seconds *= 2)
        {
            await AttemptAsync(Password);
            _kit.Time.Advance(TimeSpan.FromSeconds(seconds));
            await AttemptAsync("Wrong-password-1");
        }

        await AttemptAsync(Password);
        return (answers, _counting.Writes - before);
    }

    [Test]
    public async Task Wrong_attempts_for_a_known_and_an_unknown_name_answer_alike_lock_out_alike_and_write_alike_when_prevented()
    {
        await CreateUserAsync();
        var known = await WrongAttemptsAsync("alice");
        var unknown = await WrongAttemptsAsync("nobody");
        Assert.Multiple(() =>
        {
            Assert.That(unknown.Answers, Is.EqualTo(known.Answers));
            Assert.That(known.Answers[^1], Is.EqualTo($"NotAuthorizedException: {SignInErrors.PasswordAttemptsExceeded.Message}"), "the sequence ends locked out");
            Assert.That(unknown.Writes, Is.EqualTo(known.Writes));
            Assert.That(known.Writes, Is.EqualTo(8), "one write per counted failure");
        });
    }

    [Test]
    public async Task An_unknown_name_locked_out_by_password_attempts_is_refused_at_SRP_as_a_user_is()
    {
        await CreateUserAsync();
        var srpA = new Srp.SrpTestClient().SrpA;
        foreach (var name in new[] { "alice", "nobody" })
        {
            for (var i = 0; i < 5; i++)
            {
                await SignInAsync("Wrong-password-1", name, "ENABLED");
            }
        }

        Assert.Multiple(async () =>
        {
            Assert.That((await _srp.StartAsync(_pool, Client("ENABLED"), "alice", srpA, default)).Error, Is.EqualTo(SignInErrors.PasswordAttemptsExceeded));
            Assert.That((await _srp.StartAsync(_pool, Client("ENABLED"), "nobody", srpA, default)).Error, Is.EqualTo(SignInErrors.PasswordAttemptsExceeded));
        });
    }

    [Test]
    public async Task SRP_for_an_unknown_user_answers_the_same_challenge_shape_with_a_stable_salt_when_prevented()
    {
        var known = await CreateUserAsync();
        var srpA = new Srp.SrpTestClient().SrpA;
        var forKnown = (await _srp.StartAsync(_pool, Client("ENABLED"), "alice", srpA, default)).Value;
        var first = (await _srp.StartAsync(_pool, Client("ENABLED"), "nobody", srpA, default)).Value;
        var second = (await _srp.StartAsync(_pool, Client("ENABLED"), "nobody", srpA, default)).Value;
        Assert.Multiple(() =>
        {
            Assert.That(first.ChallengeName, Is.EqualTo(forKnown.ChallengeName));
            Assert.That(first.ChallengeParameters!.Keys, Is.EquivalentTo(forKnown.ChallengeParameters!.Keys));
            Assert.That(first.ChallengeParameters!["SALT"], Is.EqualTo(second.ChallengeParameters!["SALT"]));
            Assert.That(first.ChallengeParameters!["SALT"], Has.Length.EqualTo(known.Password!.Srp.Salt.Length).Within(2));
            Assert.That(first.ChallengeParameters!["SRP_B"], Is.Not.EqualTo(second.ChallengeParameters!["SRP_B"]));
        });
        Assert.That((await _srp.StartAsync(_pool, Client("LEGACY"), "nobody", srpA, default)).Error, Is.EqualTo(UserErrors.UserNotFound));
    }

    [Test]
    public async Task A_temporary_password_past_its_validity_is_refused_after_the_proof()
    {
        var user = await CreateUserAsync();
        var temporary = _passwords.Set(_pool, user, "Temporary-pass-1", temporary: true).Value with { UserStatus = UserStatuses.ForceChangePassword };
        await _kit.Store.UpdateUserAsync(temporary, UserKeys.Of(_pool, temporary), default);
        Assert.That((await SignInAsync("Temporary-pass-1")).Value.ChallengeName, Is.EqualTo(ChallengeNames.NewPasswordRequired));

        _kit.Time.Advance(TimeSpan.FromDays(7));
        Assert.Multiple(async () =>
        {
            Assert.That((await SignInAsync("Temporary-pass-1")).Error, Is.EqualTo(SignInErrors.TemporaryPasswordExpired));
            Assert.That((await SignInAsync("Wrong-password-1")).Error, Is.EqualTo(UserPoolErrors.IncorrectUsernameOrPassword));
        });
    }

    /// <summary>ASP.NET Core Identity's older format (V2, PBKDF2-SHA1 at 1,000 iterations): always "rehash needed".</summary>
    private sealed class PasswordHasherV2
    {
        private readonly Microsoft.AspNetCore.Identity.PasswordHasher<object> _hasher = new(Options.Create(
            new Microsoft.AspNetCore.Identity.PasswordHasherOptions { CompatibilityMode = Microsoft.AspNetCore.Identity.PasswordHasherCompatibilityMode.IdentityV2 }));

        public string Hash(string password) => _hasher.HashPassword(new object(), password);
    }
}
