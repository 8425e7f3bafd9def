using IdentityBroker.UserPools.Domains;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tests.UserPools.OAuth;

[TestFixture]
public sealed class DomainHostsTests
{
    private OAuthFixture _fixture = null!;
    private DomainHosts _hosts = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _fixture = await OAuthFixture.CreateAsync();
        await _fixture.Store.TryCreateDomainAsync(new UserPoolDomain("myapp", _fixture.Pool.Id, 1, _fixture.Time.GetUtcNow()), CancellationToken.None);
        var options = new UserPoolDomainOptions { CustomDomains = new(StringComparer.OrdinalIgnoreCase) { ["login.example.com"] = _fixture.Pool.Id } };
        _hosts = new DomainHosts(Options.Create(options), _fixture.Store, _fixture.Store);
    }

    [TearDown]
    public async Task TearDownAsync() => await _fixture.DisposeAsync();

    [TestCase("myapp.auth.localhost")]
    [TestCase("MyApp.Auth.LocalHost")]
    [TestCase("myapp.auth.localhost.")]
    [TestCase("login.example.com")]
    public async Task A_prefix_under_the_suffix_or_a_configured_custom_domain_names_its_pool(string host)
    {
        Assert.That((await _hosts.PoolOfHostAsync(host, CancellationToken.None))?.Id, Is.EqualTo(_fixture.Pool.Id));
    }

    [TestCase("other.auth.localhost")]
    [TestCase("x.myapp.auth.localhost")]
    [TestCase("auth.localhost")]
    [TestCase("myapp.auth.localhost.evil.example")]
    [TestCase("127.0.0.1")]
    public async Task Any_other_host_names_no_pool(string host)
    {
        Assert.That(await _hosts.PoolOfHostAsync(host, CancellationToken.None), Is.Null);
    }

    [Test]
    public void Start_up_refuses_a_suffix_or_custom_domain_that_is_no_host_name_and_a_pool_id_that_is_none()
    {
        var validation = new UserPoolDomainOptionsValidation();
        var bad = new UserPoolDomainOptions
        {
            DomainSuffix = "localhost",
            CustomDomains = new(StringComparer.OrdinalIgnoreCase) { ["login.example.com:8443"] = "us-east-1_abc", ["ok.example.com"] = "not a pool" },
        };

        var result = validation.Validate(null, bad);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.Failures, Has.Exactly(3).Items);
        Assert.That(validation.Validate(null, new UserPoolDomainOptions()).Succeeded, Is.True);
    }
}
