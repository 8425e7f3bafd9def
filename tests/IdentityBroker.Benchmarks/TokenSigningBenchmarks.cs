using BenchmarkDotNet.Attributes;
using IdentityBroker.Federation;
using IdentityBroker.Identities;
using IdentityBroker.Storage;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Benchmarks;

/// <summary>The broker's OpenID token (GetOpenIdToken, and the enhanced flow's internal token) for an authenticated identity.</summary>
[MemoryDiagnoser]
public class TokenSigningBenchmarks
{
    private OidcFixture _fixture = null!;
    private OpenIdTokenIssuer _issuer = null!;
    private Identity _identity = null!;
    private IReadOnlyList<ValidatedLogin> _logins = null!;

    /// <summary>Broker:Tokens:Algorithm: RS512 (Cognito's, the default) or ES256.</summary>
    [Params("RS512", "ES256")]
    public string Algorithm { get; set; } = "RS512";

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new OidcFixture();
        _logins = [_fixture.Warm()];
        var options = Options.Create(new BrokerOptions { Issuer = "https://broker.bench.example", Tokens = new TokenOptions { Algorithm = Algorithm } });
        var keys = new SigningKeyRing(new MemoryKeyStore(), options, TimeProvider.System);
        keys.LoadAsync(CancellationToken.None).GetAwaiter().GetResult();
        _issuer = new OpenIdTokenIssuer(new BrokerIssuer(options), keys, options, TimeProvider.System);
        _identity = new Identity
        {
            IdentityId = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            IdentityPoolId = _fixture.Pool.IdentityPoolId,
            Logins = [new LoginKey(OidcFixture.ProviderKey, "user-1")],
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark]
    public string IssueOpenIdToken() => _issuer.Issue(_fixture.Pool, _identity, _logins, OpenIdTokenIssuer.DefaultLifetime).Token;

    private sealed class MemoryKeyStore : IKeyStore
    {
        private readonly List<StoredKey> _keys = [];

        public Task<IReadOnlyList<StoredKey>> GetKeysAsync(string purpose, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StoredKey>>([.. _keys.Where(k => k.Purpose == purpose)]);

        public Task<bool> TryAddKeyAsync(StoredKey key, CancellationToken cancellationToken)
        {
            _keys.Add(key);
            return Task.FromResult(true);
        }
    }
}
