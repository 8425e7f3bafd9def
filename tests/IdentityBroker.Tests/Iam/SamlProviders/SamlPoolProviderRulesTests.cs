using IdentityBroker.Iam;
using IdentityBroker.Iam.SamlProviders;
using IdentityBroker.Pools;
using IdentityBroker.Storage.Sqlite;

namespace IdentityBroker.Tests.Iam.SamlProviders;

[TestFixture]
public sealed class SamlPoolProviderRulesTests
{
    private const string Registered = "arn:aws:iam::000000000000:saml-provider/CorpIdP";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ib-saml-pool-{Guid.NewGuid():N}");
    private SqliteBrokerStore _store = null!;
    private SamlPoolProviderRules _rules = null!;

    [SetUp]
    public async Task SetUp()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteBrokerStore(Path.Combine(_directory, "broker.db"));
        await _store.TryCreateSamlProviderAsync(new SamlProvider { Arn = Registered, Name = "CorpIdP", MetadataDocument = "<m/>", Uuid = "UUID0000000000000000000000" }, CancellationToken.None);
        _rules = new SamlPoolProviderRules(_store);
    }

    [TearDown]
    public void TearDown()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task A_pool_without_SAML_providers_or_with_registered_ones_passes()
    {
        Assert.That(await _rules.CheckAsync(Pool(null), CancellationToken.None), Is.Null);
        Assert.That(await _rules.CheckAsync(Pool([Registered]), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task An_unregistered_ARN_is_InvalidParameterException()
    {
        var error = await _rules.CheckAsync(Pool([Registered, "arn:aws:iam::000000000000:saml-provider/Other"]), CancellationToken.None);
        Assert.That(error!.Type, Is.EqualTo("InvalidParameterException"));
        Assert.That(error.Message, Does.Contain("saml-provider/Other"));
    }

    [Test]
    public async Task A_duplicated_ARN_is_InvalidParameterException()
    {
        var error = await _rules.CheckAsync(Pool([Registered, Registered]), CancellationToken.None);
        Assert.That(error!.Type, Is.EqualTo("InvalidParameterException"));
    }

    private static IdentityPool Pool(IReadOnlyList<string>? arns) => new()
    {
        IdentityPoolId = "us-east-1:11111111-2222-3333-4444-555555555555",
        IdentityPoolName = "p",
        AllowUnauthenticatedIdentities = false,
        SamlProviderARNs = arns,
    };
}
