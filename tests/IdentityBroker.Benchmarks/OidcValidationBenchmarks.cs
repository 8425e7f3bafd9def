using BenchmarkDotNet.Attributes;

namespace IdentityBroker.Benchmarks;

/// <summary>Third-party ID token validation (RS256, 2048-bit) with a warm JWKS cache: what GetId (OIDC) pays per call.</summary>
[MemoryDiagnoser]
public class OidcValidationBenchmarks
{
    private OidcFixture _fixture = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new OidcFixture();
        _fixture.Warm();
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark]
    public async Task<bool> ValidateOidcToken()
    {
        var result = await _fixture.Validator.ValidateAsync(_fixture.Pool, OidcFixture.ProviderKey, _fixture.Token, CancellationToken.None);
        return result.IsSuccess ? true : throw new InvalidOperationException(result.Error!.Message);
    }
}
