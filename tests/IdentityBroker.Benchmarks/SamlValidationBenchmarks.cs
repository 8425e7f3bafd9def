using BenchmarkDotNet.Attributes;
using IdentityBroker.Storage;

namespace IdentityBroker.Benchmarks;

/// <summary>
/// SAML 2.0 response validation of a registered provider with its metadata and certificate loaded (warm): size and
/// encoding, safe parse, structure, XML signature (RSA-SHA256), status/issuer/subject/conditions/audience, replay guard.
/// What GetId / GetCredentialsForIdentity pay per call for a SAML login.
/// </summary>
[MemoryDiagnoser]
public class SamlValidationBenchmarks
{
    private SamlFixture _fixture = null!;
    private SamlAssertionUse _use = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new SamlFixture();
        _fixture.Warm();
        var now = DateTimeOffset.UtcNow;
        _use = new SamlAssertionUse("bench-key", "bench-binding", now.AddHours(1), false, now.AddDays(1));
        _fixture.Store.RecordAssertionUseAsync(_use, now, CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark]
    public async Task<bool> ValidateSamlResponse()
    {
        var result = await _fixture.Validator.ValidateAsync(_fixture.Pool, SamlFixture.ProviderArn, _fixture.Token, CancellationToken.None);
        return result.IsSuccess ? true : throw new InvalidOperationException(result.Error!.Message);
    }

    /// <summary>
    /// Only the replay guard's store call inside the validation above (a SQLite write transaction: purge expired records,
    /// insert-or-keep, read the kept record), for an assertion already recorded: how much of the validation is the store.
    /// </summary>
    [Benchmark]
    public async Task<bool> ReplayRecordOnly() =>
        await _fixture.Store.RecordAssertionUseAsync(_use, DateTimeOffset.UtcNow, CancellationToken.None) is not null;
}
