using IdentityBroker.Storage;
using IdentityBroker.Tests.UserPools.Codes;
using IdentityBroker.UserPools.SignIn;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.SignIn;

[TestFixture]
public sealed class SignInSessionsTests
{
    private const string Pool = "us-east-1_Sessions1";
    private const string Client = "sessionsclient0123456789ab";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private MemoryKeyStore _keys = null!;
    private InMemoryCodeStore _marks = null!;
    private SignInSessions _sessions = null!;

    [SetUp]
    public void SetUp()
    {
        _keys = new MemoryKeyStore();
        _marks = new InMemoryCodeStore();
        _sessions = new SignInSessions(_keys, _marks, _time);
    }

    private SignInSession NewSession() =>
        _sessions.New(Pool, Client, SignInSessions.DefaultValidity, "0b1c2d3e-0000-4000-8000-000000000001", "alice", ChallengeNames.PasswordVerifier)
            with { SrpKey = "a2V5" };

    [Test]
    public async Task A_sealed_session_opens_as_it_was_for_its_client_and_challenge()
    {
        var session = NewSession();
        var opened = await _sessions.OpenAsync(await _sessions.SealAsync(session, default), Client, ChallengeNames.PasswordVerifier, default);
        Assert.That(opened.Value, Is.EqualTo(session));
    }

    [Test]
    public async Task A_session_is_valid_for_three_minutes_and_not_a_moment_longer()
    {
        var sealedSession = await _sessions.SealAsync(NewSession(), default);
        _time.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromMilliseconds(1));
        Assert.That((await _sessions.OpenAsync(sealedSession, Client, ChallengeNames.PasswordVerifier, default)).IsSuccess, Is.True);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var expired = await _sessions.OpenAsync(sealedSession, Client, ChallengeNames.PasswordVerifier, default);
        Assert.That(expired.Error, Is.EqualTo(SignInErrors.InvalidSession));
    }

    [TestCase("otherclient0123456789abcde", ChallengeNames.PasswordVerifier)]
    [TestCase(Client, ChallengeNames.NewPasswordRequired)]
    public async Task A_session_is_refused_for_another_client_or_challenge(string client, string challenge)
    {
        var sealedSession = await _sessions.SealAsync(NewSession(), default);
        Assert.That((await _sessions.OpenAsync(sealedSession, client, challenge, default)).Error, Is.EqualTo(SignInErrors.InvalidSession));
    }

    [TestCase(0)]
    [TestCase(5)]
    [TestCase(20)]
    [TestCase(-1)]
    public async Task Any_altered_character_makes_the_session_invalid(int position)
    {
        var sealedSession = await _sessions.SealAsync(NewSession(), default);
        var index = position < 0 ? sealedSession.Length + position : position;
        var altered = sealedSession[..index] + (sealedSession[index] == 'A' ? 'B' : 'A') + sealedSession[(index + 1)..];
        Assert.That((await _sessions.OpenAsync(altered, Client, ChallengeNames.PasswordVerifier, default)).Error, Is.EqualTo(SignInErrors.InvalidSession));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not base64url at all!")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Garbage_is_an_invalid_session_not_an_exception(string? garbage) =>
        Assert.That((await _sessions.OpenAsync(garbage, Client, ChallengeNames.PasswordVerifier, default)).Error, Is.EqualTo(SignInErrors.InvalidSession));

    [Test]
    public async Task A_marked_session_is_used_once()
    {
        var session = NewSession();
        await _sessions.MarkAsync(session, default);
        Assert.Multiple(async () =>
        {
            Assert.That(await _sessions.UseOnceAsync(session, default), Is.True);
            Assert.That(await _sessions.UseOnceAsync(session, default), Is.False);
        });
    }

    [Test]
    public async Task Another_replica_with_the_same_store_opens_the_session()
    {
        var sealedSession = await _sessions.SealAsync(NewSession(), default);
        var replica = new SignInSessions(_keys, _marks, _time);
        Assert.That((await replica.OpenAsync(sealedSession, Client, ChallengeNames.PasswordVerifier, default)).IsSuccess, Is.True);
    }

    [Test]
    public async Task A_broker_with_another_key_cannot_open_it()
    {
        var sealedSession = await _sessions.SealAsync(NewSession(), default);
        var stranger = new SignInSessions(new MemoryKeyStore(), _marks, _time);
        Assert.That((await stranger.OpenAsync(sealedSession, Client, ChallengeNames.PasswordVerifier, default)).IsSuccess, Is.False);
    }

    private sealed class MemoryKeyStore : IKeyStore
    {
        private readonly List<StoredKey> _stored = [];

        public Task<IReadOnlyList<StoredKey>> GetKeysAsync(string purpose, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StoredKey>>([.. _stored.Where(k => k.Purpose == purpose)]);

        public Task<bool> TryAddKeyAsync(StoredKey key, CancellationToken cancellationToken)
        {
            if (_stored.Exists(k => k.KeyId == key.KeyId))
            {
                return Task.FromResult(false);
            }

            _stored.Add(key);
            return Task.FromResult(true);
        }
    }
}
