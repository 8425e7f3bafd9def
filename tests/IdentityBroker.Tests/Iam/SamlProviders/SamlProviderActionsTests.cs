using System.Text;
using System.Xml.Linq;
using IdentityBroker.Iam.SamlProviders;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Tests.Federation.Saml;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Iam.SamlProviders;

[TestFixture]
public sealed class SamlProviderActionsTests
{
    private const string Account = "123456789012";
    private const string Arn = "arn:aws:iam::123456789012:saml-provider/CorpIdP";
    private static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ib-saml-iam-{Guid.NewGuid():N}");
    private XmlSec1Signer _signer = null!;
    private SqliteBrokerStore _store = null!;
    private FakeTimeProvider _time = null!;
    private SamlProviderActions _actions = null!;

    private string Metadata => SamlResponseSpec.Metadata(_signer.CertificateBase64);

    [OneTimeSetUp]
    public void CreateSigner() => _signer = new XmlSec1Signer();

    [OneTimeTearDown]
    public void DisposeSigner() => _signer.Dispose();

    [SetUp]
    public void SetUp()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteBrokerStore(Path.Combine(_directory, $"{Guid.NewGuid():N}.db"));
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        _actions = new SamlProviderActions(_store, Options.Create(new BrokerOptions { AccountId = Account }), _time);
    }

    [TearDown]
    public void TearDown()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void Declares_the_five_actions_all_signed()
    {
        Assert.That(_actions.Version, Is.EqualTo("2010-05-08"));
        Assert.That(_actions.Actions, Is.EquivalentTo(new[] { "CreateSAMLProvider", "GetSAMLProvider", "UpdateSAMLProvider", "ListSAMLProviders", "DeleteSAMLProvider" }));
        Assert.That(_actions.Actions.All(_actions.RequiresSignature), Is.True);
    }

    [Test]
    public async Task Create_then_Get_returns_the_document_dates_tags_and_uuid()
    {
        var created = await CallAsync("CreateSAMLProvider", ("Name", "CorpIdP"), ("SAMLMetadataDocument", Metadata),
            ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "id"));
        Assert.That(created.Status, Is.EqualTo(200), created.Xml.ToString());
        Assert.That(created.Xml.Root!.Name, Is.EqualTo(Ns + "CreateSAMLProviderResponse"));
        Assert.That(Value(created.Xml, "SAMLProviderArn"), Is.EqualTo(Arn));

        var got = await CallAsync("GetSAMLProvider", ("SAMLProviderArn", Arn));
        Assert.That(got.Status, Is.EqualTo(200));
        Assert.That(Value(got.Xml, "SAMLMetadataDocument"), Is.EqualTo(Metadata));
        Assert.That(Value(got.Xml, "CreateDate"), Is.EqualTo("2026-03-01T12:00:00Z"));
        Assert.That(Value(got.Xml, "ValidUntil"), Does.StartWith("2126-"));
        Assert.That(Value(got.Xml, "SAMLProviderUUID"), Does.Match("^[A-Z0-9]{22,64}$"));
        Assert.That(got.Xml.Descendants(Ns + "Key").Single().Value, Is.EqualTo("team"));
    }

    [Test]
    public async Task ValidUntil_comes_from_the_metadata_when_it_has_one()
    {
        var metadata = SamlResponseSpec.Metadata(_signer.CertificateBase64, validUntil: "2027-06-30T00:00:00Z");
        await CallAsync("CreateSAMLProvider", ("Name", "CorpIdP"), ("SAMLMetadataDocument", metadata));
        Assert.That(Value((await CallAsync("GetSAMLProvider", ("SAMLProviderArn", Arn))).Xml, "ValidUntil"), Is.EqualTo("2027-06-30T00:00:00Z"));
    }

    [Test]
    public async Task Create_twice_is_EntityAlreadyExists()
    {
        await CallAsync("CreateSAMLProvider", ("Name", "CorpIdP"), ("SAMLMetadataDocument", Metadata));
        var again = await CallAsync("CreateSAMLProvider", ("Name", "CorpIdP"), ("SAMLMetadataDocument", Metadata));
        AssertError(again, 409, "EntityAlreadyExists");
        Assert.That(Value(again.Xml, "Message"), Is.EqualTo("Provider with name CorpIdP already exists."));
    }

    [TestCase("bad name!")]
    [TestCase("")]
    public async Task A_name_outside_the_model_is_ValidationError(string name) =>
        AssertError(await CallAsync("CreateSAMLProvider", ("Name", name), ("SAMLMetadataDocument", Metadata)), 400, "ValidationError");

    [Test]
    public async Task A_metadata_document_shorter_than_1000_characters_is_ValidationError() =>
        AssertError(await CallAsync("CreateSAMLProvider", ("Name", "CorpIdP"), ("SAMLMetadataDocument", "<x/>")), 400, "ValidationError");

    [Test]
    public async Task Malformed_metadata_is_InvalidInput_with_the_reason()
    {
        var broken = Metadata.Replace("entityID=", "entityId=", StringComparison.Ordinal);
        var reply = await CallAsync("CreateSAMLProvider", ("Name", "CorpIdP"), ("SAMLMetadataDocument", broken));
        AssertError(reply, 400, "InvalidInput");
        Assert.That(Value(reply.Xml, "Message"), Does.Contain("entityID"));
    }

    [Test]
    public async Task Metadata_with_a_DTD_is_InvalidInput()
    {
        var withDtd = Metadata.Replace("<md:EntityDescriptor", "<!DOCTYPE d [<!ENTITY e \"e\">]><md:EntityDescriptor", StringComparison.Ordinal);
        AssertError(await CallAsync("CreateSAMLProvider", ("Name", "CorpIdP"), ("SAMLMetadataDocument", withDtd)), 400, "InvalidInput");
    }

    [Test]
    public async Task Assertion_encryption_is_refused_as_unsupported() =>
        AssertError(await CallAsync("CreateSAMLProvider", ("Name", "CorpIdP"), ("SAMLMetadataDocument", Metadata), ("AssertionEncryptionMode", "Required")), 400, "InvalidInput");

    [Test]
    public async Task Update_replaces_the_metadata_and_checks_it()
    {
        await CallAsync("CreateSAMLProvider", ("Name", "CorpIdP"), ("SAMLMetadataDocument", Metadata));
        using var other = new XmlSec1Signer();
        var next = SamlResponseSpec.Metadata(other.CertificateBase64);

        var updated = await CallAsync("UpdateSAMLProvider", ("SAMLProviderArn", Arn), ("SAMLMetadataDocument", next));
        Assert.That(updated.Status, Is.EqualTo(200), updated.Xml.ToString());
        Assert.That(Value(updated.Xml, "SAMLProviderArn"), Is.EqualTo(Arn));
        Assert.That(Value((await CallAsync("GetSAMLProvider", ("SAMLProviderArn", Arn))).Xml, "SAMLMetadataDocument"), Is.EqualTo(next));

        var broken = next.Replace("IDPSSODescriptor", "SPSSODescriptor", StringComparison.Ordinal);
        AssertError(await CallAsync("UpdateSAMLProvider", ("SAMLProviderArn", Arn), ("SAMLMetadataDocument", broken)), 400, "InvalidInput");
    }

    [Test]
    public async Task List_returns_every_provider_with_its_dates()
    {
        await CallAsync("CreateSAMLProvider", ("Name", "B"), ("SAMLMetadataDocument", Metadata));
        await CallAsync("CreateSAMLProvider", ("Name", "A"), ("SAMLMetadataDocument", Metadata));

        var list = await CallAsync("ListSAMLProviders");
        var members = list.Xml.Descendants(Ns + "SAMLProviderList").Single().Elements(Ns + "member").ToList();
        Assert.That(members.Select(m => m.Element(Ns + "Arn")!.Value), Is.EqualTo(new[]
        {
            "arn:aws:iam::123456789012:saml-provider/A", "arn:aws:iam::123456789012:saml-provider/B",
        }));
        Assert.That(members[0].Element(Ns + "CreateDate")!.Value, Is.EqualTo("2026-03-01T12:00:00Z"));
        Assert.That(members[0].Element(Ns + "ValidUntil"), Is.Not.Null);
    }

    [Test]
    public async Task Delete_removes_and_a_second_delete_is_NoSuchEntity()
    {
        await CallAsync("CreateSAMLProvider", ("Name", "CorpIdP"), ("SAMLMetadataDocument", Metadata));
        Assert.That((await CallAsync("DeleteSAMLProvider", ("SAMLProviderArn", Arn))).Status, Is.EqualTo(200));
        AssertError(await CallAsync("DeleteSAMLProvider", ("SAMLProviderArn", Arn)), 404, "NoSuchEntity");
        AssertError(await CallAsync("GetSAMLProvider", ("SAMLProviderArn", Arn)), 404, "NoSuchEntity");
    }

    [Test]
    public async Task An_ARN_that_is_not_a_SAML_provider_ARN_is_InvalidInput() =>
        AssertError(await CallAsync("GetSAMLProvider", ("SAMLProviderArn", "arn:aws:iam::123456789012:role/NotAProvider")), 400, "InvalidInput");

    [Test]
    public async Task A_missing_ARN_is_ValidationError() =>
        AssertError(await CallAsync("GetSAMLProvider"), 400, "ValidationError");

    private async Task<(int Status, XDocument Xml)> CallAsync(string action, params (string Name, string Value)[] parameters)
    {
        var values = parameters.ToDictionary(p => p.Name, p => p.Value);
        values["Action"] = action;
        values["Version"] = "2010-05-08";
        var raw = new SignedRequest("POST", "/", string.Empty, [], ReadOnlyMemory<byte>.Empty);
        var caller = new SigningPrincipal("AKIAEXAMPLE", "secret", $"arn:aws:iam::{Account}:root", Account, IsAdmin: true);
        var response = await _actions.HandleAsync(action, new QueryRequest(values, raw, "req-1", caller), CancellationToken.None);
        return (response.StatusCode, XDocument.Parse(Encoding.UTF8.GetString(response.Body.Span)));
    }

    private static string? Value(XDocument xml, string name) => xml.Descendants(Ns + name).SingleOrDefault()?.Value;

    private static void AssertError((int Status, XDocument Xml) reply, int status, string code)
    {
        Assert.That(reply.Status, Is.EqualTo(status), reply.Xml.ToString());
        Assert.That(Value(reply.Xml, "Code"), Is.EqualTo(code), reply.Xml.ToString());
        Assert.That(reply.Xml.Root!.Name, Is.EqualTo(Ns + "ErrorResponse"));
    }
}
