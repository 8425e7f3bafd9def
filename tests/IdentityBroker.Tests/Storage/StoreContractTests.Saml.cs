using IdentityBroker.Iam;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private ISamlProviderStore Saml => Store.Saml ?? throw new AssertionException("The store does not implement ISamlProviderStore.");

    private static SamlProvider SamlProviderNamed(string name) => new()
    {
        Arn = $"arn:aws:iam::000000000000:saml-provider/{name}",
        Name = name,
        MetadataDocument = "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp\"/>",
        Uuid = "0123456789ABCDEF0123456789ABCDEF",
        CreateDate = T0,
        ValidUntil = T0.AddYears(100),
        Tags = new Dictionary<string, string> { ["team"] = "identity" },
    };

    private static SamlAssertionUse Use(string key, string binding, bool oneTimeUse = false) =>
        new(key, binding, T0.AddMinutes(5), oneTimeUse, T0.AddDays(1));

    [Test]
    public async Task Saml_provider_round_trips_and_ARNs_are_unique()
    {
        var provider = SamlProviderNamed("Corp");

        Assert.That(await Saml.TryCreateSamlProviderAsync(provider, None), Is.True);
        Assert.That(await Saml.TryCreateSamlProviderAsync(provider with { Uuid = "OTHER0000000000000000000" }, None), Is.False);

        AssertSameDocument(await Saml.GetSamlProviderAsync(provider.Arn, None), provider);
        await ReopenAsync();
        AssertSameDocument(await Saml.GetSamlProviderAsync(provider.Arn, None), provider);
    }

    [Test]
    public async Task Saml_provider_update_delete_and_list()
    {
        var b = SamlProviderNamed("B");
        var a = SamlProviderNamed("A");
        await Saml.TryCreateSamlProviderAsync(b, None);
        await Saml.TryCreateSamlProviderAsync(a, None);

        var updated = a with { MetadataDocument = "<changed/>", ValidUntil = T0.AddDays(3) };
        Assert.That(await Saml.UpdateSamlProviderAsync(updated, None), Is.True);
        AssertSameDocument(await Saml.GetSamlProviderAsync(a.Arn, None), updated);
        Assert.That(await Saml.UpdateSamlProviderAsync(SamlProviderNamed("Missing"), None), Is.False);

        Assert.That((await Saml.ListSamlProvidersAsync(None)).Select(p => p.Name), Is.EqualTo(new[] { "A", "B" }));

        Assert.That(await Saml.DeleteSamlProviderAsync(b.Arn, None), Is.True);
        Assert.That(await Saml.DeleteSamlProviderAsync(b.Arn, None), Is.False);
        Assert.That(await Saml.GetSamlProviderAsync(b.Arn, None), Is.Null);
        Assert.That((await Saml.ListSamlProvidersAsync(None)).Select(p => p.Name), Is.EqualTo(new[] { "A" }));
    }

    [Test]
    public async Task Saml_assertion_use_is_recorded_once_and_the_first_record_is_returned_unchanged()
    {
        var first = Use("key-1", "binding-1", oneTimeUse: true);

        Assert.That(await Saml.RecordAssertionUseAsync(first, T0, None), Is.Null);
        Assert.That(await Saml.RecordAssertionUseAsync(Use("key-1", "binding-2"), T0.AddMinutes(1), None), Is.EqualTo(first));
        Assert.That(await Saml.RecordAssertionUseAsync(Use("key-2", "binding-2"), T0, None), Is.Null);

        await ReopenAsync();
        Assert.That(await Saml.RecordAssertionUseAsync(Use("key-1", "binding-3"), T0.AddMinutes(2), None), Is.EqualTo(first));
    }

    [Test]
    public async Task Saml_assertion_use_is_forgotten_after_its_retention()
    {
        var first = Use("key-1", "binding-1");
        await Saml.RecordAssertionUseAsync(first, T0, None);

        // Still retained after the validity (so a late reuse is recognised), forgotten after RetainUntil.
        Assert.That(await Saml.RecordAssertionUseAsync(Use("key-1", "late"), T0.AddHours(1), None), Is.EqualTo(first));
        var renewed = Use("key-1", "renewed") with { RetainUntil = T0.AddDays(3) };
        Assert.That(await Saml.RecordAssertionUseAsync(renewed, T0.AddDays(1).AddSeconds(1), None), Is.Null);
        Assert.That(await Saml.RecordAssertionUseAsync(Use("key-1", "again"), T0.AddDays(2), None), Is.EqualTo(renewed));
    }

    [Test]
    public async Task Saml_assertion_use_has_one_winner_under_concurrency()
    {
        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(() => Saml.RecordAssertionUseAsync(Use("contended", $"binding-{i}"), T0, None)));
        var results = await Task.WhenAll(attempts);

        Assert.That(results.Count(r => r is null), Is.EqualTo(1));
        Assert.That(results.Where(r => r is not null).Select(r => r!.Binding).Distinct().Count(), Is.EqualTo(1));
    }
}
