using IdentityBroker.Federation.Developer;
using IdentityBroker.Identities;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Federation.Developer;

/// <summary>One valid developer token per test from the broker's own issuer; each case breaks one thing.</summary>
[TestFixture]
public sealed class DeveloperTokenValidatorTests
{
    private const string PoolId = "us-east-1:11111111-2222-3333-4444-555555555555";
    private const string IdentityId = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private const string Developer = "login.example.app";
    private const string Key = DeveloperTokenValidator.CognitoProviderKey;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private OpenIdTokenIssuer _issuer = null!;
    private DeveloperTokenValidator _validator = null!;
    private SigningKeyRing _keys = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        var (issuer, validator, keys) = await BrokerAsync("https://broker.example.com");
        _issuer = issuer;
        _validator = validator;
        _keys = keys;
    }

    [Test]
    public async Task A_developer_token_proves_its_identity_with_the_developer_login_and_tags()
    {
        var login = await _validator.ValidateAsync(Pool(), Key, DeveloperToken(), CancellationToken.None);

        Assert.That(login.IsSuccess, Is.True, login.Error?.Message);
        Assert.Multiple(() =>
        {
            Assert.That(login.Value.ProvenIdentityId, Is.EqualTo(IdentityId));
            Assert.That(login.Value.IsLinkable, Is.False);
            Assert.That(login.Value.ProviderKey, Is.EqualTo(Developer));
            Assert.That(login.Value.AuthenticationReference, Is.EqualTo($"{Developer}:{PoolId}:user-1"));
            Assert.That(login.Value.PrincipalTags, Is.EqualTo(new Dictionary<string, string> { ["team"] = "blue" }));
        });
    }

    [Test]
    public async Task The_cognito_key_and_the_issuer_host_are_handled_and_nothing_else()
    {
        Assert.That(await _validator.HandlesAsync(Pool(), Key, CancellationToken.None), Is.True);
        Assert.That(await _validator.HandlesAsync(Pool(), "broker.example.com", CancellationToken.None), Is.True);
        Assert.That(await _validator.HandlesAsync(Pool(), Developer, CancellationToken.None), Is.False);
        Assert.That(await _validator.HandlesAsync(Pool(), "accounts.google.com", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task An_expired_token_is_refused()
    {
        var token = DeveloperToken();
        _time.Advance(TimeSpan.FromSeconds(901));

        var login = await _validator.ValidateAsync(Pool(), Key, token, CancellationToken.None);

        Assert.That(login.Error?.Message, Is.EqualTo("Invalid login token. Token expired."));
    }

    // One rule set (JwtRules): the broker's own tokens get the nbf/iat check every other kind has.
    [Test]
    public async Task A_token_issued_in_the_future_is_not_a_Cognito_token()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        Assert.That((await _validator.ValidateAsync(Pool(), Key, Signed(Claims(now)), CancellationToken.None)).IsSuccess, Is.True);

        var login = await _validator.ValidateAsync(Pool(), Key, Signed(Claims(now + 3600)), CancellationToken.None);

        Assert.That(login.Error?.Message, Is.EqualTo("Invalid login token. Not a Cognito token."));
    }

    // One reader (JwtReader): a kid names the only key that may verify; the developer path used to try every key.
    [Test]
    public async Task A_kid_the_broker_does_not_publish_is_not_a_Cognito_token()
    {
        var signer = (Microsoft.IdentityModel.Tokens.RsaSecurityKey)_keys.PublishedKeys[0].Key;
        var header = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("{\"alg\":\"RS512\",\"kid\":\"not-published\",\"typ\":\"JWS\"}");
        var input = header + "." + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(Claims(_time.GetUtcNow().ToUnixTimeSeconds()));
        var signature = signer.Rsa.SignData(System.Text.Encoding.ASCII.GetBytes(input), System.Security.Cryptography.HashAlgorithmName.SHA512,
            System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var token = input + "." + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(signature);

        var login = await _validator.ValidateAsync(Pool(), Key, token, CancellationToken.None);

        Assert.That(login.Error?.Message, Is.EqualTo("Invalid login token. Not a Cognito token."));
    }

    private static string Claims(long issuedAt) =>
        $$"""{"iss":"https://broker.example.com","sub":"{{IdentityId}}","aud":"{{PoolId}}","amr":["authenticated"],"iat":{{issuedAt}},"exp":{{issuedAt + 600}}}""";

    private string Signed(string payload) => _keys.Signer.Sign(System.Text.Encoding.UTF8.GetBytes(payload));

    private static IEnumerable<TestCaseData> NotCognitoTokens()
    {
        yield return new TestCaseData("garbage").SetName("Not a JWT is not a Cognito token");
        yield return new TestCaseData("another pool").SetName("A token for another pool is not a Cognito token");
        yield return new TestCaseData("guest").SetName("A guest token (other audience) is not a Cognito token");
        yield return new TestCaseData("other broker").SetName("A token signed by another broker is not a Cognito token");
        yield return new TestCaseData("tampered").SetName("A tampered token is not a Cognito token");
    }

    [TestCaseSource(nameof(NotCognitoTokens))]
    public async Task Anything_else_is_not_a_Cognito_token(string what)
    {
        var token = what switch
        {
            "garbage" => "not-a-token",
            "another pool" => _issuer.Issue(Pool() with { IdentityPoolId = "us-east-1:99999999-2222-3333-4444-555555555555" }, Authenticated(), [], TimeSpan.FromMinutes(5)).Token,
            "guest" => _issuer.Issue(Pool(), Authenticated() with { Logins = [] }, [], TimeSpan.FromMinutes(5)).Token,
            "other broker" => (await BrokerAsync("https://broker.example.com")).Issuer.Issue(Pool(), Authenticated(), [], TimeSpan.FromMinutes(5)).Token,
            _ => Tamper(DeveloperToken()),
        };

        var login = await _validator.ValidateAsync(Pool(), Key, token, CancellationToken.None);

        Assert.That(login.Error?.Message, Is.EqualTo("Invalid login token. Not a Cognito token."));
        Assert.That(login.Error?.Type, Is.EqualTo("NotAuthorizedException"));
    }

    private string DeveloperToken() =>
        _issuer.Issue(Pool(), Authenticated(), [DeveloperLogins.Vouched(Pool(), "user-1", new Dictionary<string, string> { ["team"] = "blue" })],
            TimeSpan.FromSeconds(900), null).Token;

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(parts[1]).Replace(IdentityId, "us-east-1:bbbbbbbb-bbbb-cccc-dddd-eeeeeeeeeeee", StringComparison.Ordinal);
        return $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    private async Task<(OpenIdTokenIssuer Issuer, DeveloperTokenValidator Validator, SigningKeyRing Keys)> BrokerAsync(string url)
    {
        var options = Options.Create(new BrokerOptions { Issuer = url });
        var keys = new SigningKeyRing(new KeyStore(), options, _time);
        await keys.LoadAsync(CancellationToken.None);
        var issuer = new BrokerIssuer(options);
        var reader = TestJwtReader.Create(new StubOidcProvider(url), options, _time, keys);
        return (new OpenIdTokenIssuer(issuer, keys, options, _time), new DeveloperTokenValidator(issuer, reader, options), keys);
    }

    private static IdentityPool Pool() => new()
    {
        IdentityPoolId = PoolId, IdentityPoolName = "p", AllowUnauthenticatedIdentities = true, DeveloperProviderName = Developer,
    };

    private Identity Authenticated() => new()
    {
        IdentityId = IdentityId, IdentityPoolId = PoolId, Logins = [new LoginKey(Developer, "user-1")], CreationDate = _time.GetUtcNow(),
    };

    private sealed class KeyStore : IKeyStore
    {
        private readonly List<StoredKey> _keys = [];

        public Task<IReadOnlyList<StoredKey>> GetKeysAsync(string purpose, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StoredKey>>(_keys.Where(k => k.Purpose == purpose).ToList());

        public Task<bool> TryAddKeyAsync(StoredKey key, CancellationToken cancellationToken)
        {
            _keys.Add(key);
            return Task.FromResult(true);
        }
    }
}
