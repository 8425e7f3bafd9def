using BenchmarkDotNet.Attributes;

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

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new SamlFixture();
        _fixture.Warm();
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark]
    public async Task<bool> ValidateSamlResponse()
    {
        var result = await _fixture.Validator.ValidateAsync(_fixture.Pool, SamlFixture.ProviderArn, _fixture.Token, CancellationToken.None);
        return result.IsSuccess ? true : throw new InvalidOperationException(result.Error!.Message);
    }
}
