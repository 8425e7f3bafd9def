using System.Text;
using System.Xml.Linq;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Iam;

[TestFixture]
public sealed class OidcProviderActionsTests
{
    private const string Account = "123456789012";
    private const string Url = "https://idp.example.com";
    private const string Arn = "arn:aws:iam::123456789012:oidc-provider/idp.example.com";
    private static readonly XNamespace Ns = OidcProviderActions.Namespace;
    private static readonly string Thumb = new('a', 40);

    private InMemoryIamStore _store = null!;
    private FakeTimeProvider _time = null!;
    private OidcProviderActions _actions = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new InMemoryIamStore();
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        _actions = new OidcProviderActions(_store, Options.Create(new BrokerOptions { AccountId = Account }), _time);
    }

    [Test]
    public void Declares_the_seven_actions_all_signed()
    {
        Assert.That(_actions.Version, Is.EqualTo("2010-05-08"));
        Assert.That(_actions.Actions, Has.Count.EqualTo(7));
        Assert.That(_actions.Actions.All(_actions.RequiresSignature), Is.True);
    }

    [Test]
    public async Task Create_returns_the_arn_and_Get_returns_the_url_without_scheme()
    {
        var created = await CallAsync("CreateOpenIDConnectProvider", ("Url", Url), ("ClientIDList.member.1", "app-1"), ("ThumbprintList.member.1", Thumb),
            ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "id"));
        Assert.That(created.Status, Is.EqualTo(200));
        Assert.That(Value(created.Xml, "OpenIDConnectProviderArn"), Is.EqualTo(Arn));
        Assert.That(created.Xml.Root!.Name, Is.EqualTo(Ns + "CreateOpenIDConnectProviderResponse"));

        var got = await CallAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn));
        Assert.That(got.Status, Is.EqualTo(200));
        Assert.That(Value(got.Xml, "Url"), Is.EqualTo("idp.example.com"));
        Assert.That(Members(got.Xml, "ClientIDList"), Is.EqualTo(new[] { "app-1" }));
        Assert.That(Members(got.Xml, "ThumbprintList"), Is.EqualTo(new[] { Thumb }));
        Assert.That(Value(got.Xml, "CreateDate"), Is.EqualTo("2026-03-01T12:00:00Z"));
        Assert.That(got.Xml.Descendants(Ns + "Key").Single().Value, Is.EqualTo("team"));
    }

    [Test]
    public async Task Create_with_a_path_keeps_it_in_the_arn()
    {
        var created = await CallAsync("CreateOpenIDConnectProvider", ("Url", "https://idp.example.com/realms/main"));
        Assert.That(Value(created.Xml, "OpenIDConnectProviderArn"), Is.EqualTo("arn:aws:iam::123456789012:oidc-provider/idp.example.com/realms/main"));
    }

    [Test]
    public async Task Create_without_thumbprints_is_accepted_as_IAM_now_allows()
    {
        var created = await CallAsync("CreateOpenIDConnectProvider", ("Url", Url));
        Assert.That(created.Status, Is.EqualTo(200));
        var got = await CallAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn));
        Assert.That(Members(got.Xml, "ThumbprintList"), Is.Empty);
    }

    [TestCase("http://127.0.0.1:8080", "arn:aws:iam::123456789012:oidc-provider/127.0.0.1:8080")]
    [TestCase("http://127.3.4.5/idp", "arn:aws:iam::123456789012:oidc-provider/127.3.4.5/idp")]
    [TestCase("http://localhost:5000", "arn:aws:iam::123456789012:oidc-provider/localhost:5000")]
    [TestCase("http://[::1]:5000", "arn:aws:iam::123456789012:oidc-provider/[::1]:5000")]
    public async Task Create_accepts_http_for_loopback_hosts(string url, string arn)
    {
        var created = await CallAsync("CreateOpenIDConnectProvider", ("Url", url));
        Assert.That(created.Status, Is.EqualTo(200), Error(created.Xml));
        Assert.That(Value(created.Xml, "OpenIDConnectProviderArn"), Is.EqualTo(arn));
    }

    [TestCase("http://idp.example.com")]
    [TestCase("http://10.0.0.1")]
    [TestCase("http://128.0.0.1")]
    [TestCase("http://localhost.example.com")]
    [TestCase("ftp://idp.example.com")]
    public async Task Create_refuses_http_for_other_hosts(string url)
    {
        var reply = await CallAsync("CreateOpenIDConnectProvider", ("Url", url));
        AssertError(reply, 400, "InvalidInput");
        Assert.That(Error(reply.Xml), Does.Contain("must begin with https://"));
        Assert.That(await _store.ListOidcProvidersAsync(CancellationToken.None), Is.Empty);
    }

    [TestCase("https://idp.example.com?x=1")]
    [TestCase("https://idp.example.com/#frag")]
    [TestCase("https://user:pw@idp.example.com")]
    public async Task Create_refuses_query_fragment_and_user_info(string url) =>
        AssertError(await CallAsync("CreateOpenIDConnectProvider", ("Url", url)), 400, "InvalidInput");

    [Test]
    public async Task Create_without_a_scheme_is_the_ValidationError_IAM_answers()
    {
        var reply = await CallAsync("CreateOpenIDConnectProvider", ("Url", "example.org"));
        AssertError(reply, 400, "ValidationError");
        Assert.That(Error(reply.Xml), Is.EqualTo("Invalid Open ID Connect Provider URL"));
    }

    [Test]
    public async Task Create_without_url_is_a_null_member()
    {
        var reply = await CallAsync("CreateOpenIDConnectProvider");
        AssertError(reply, 400, "ValidationError");
        Assert.That(Error(reply.Xml), Is.EqualTo("1 validation error detected: Value at 'url' failed to satisfy constraint: Member must not be null"));
    }

    [Test]
    public async Task Create_reports_every_length_violation_in_IAM_words()
    {
        var reply = await CallAsync("CreateOpenIDConnectProvider", ("Url", new string('b', 256)),
            ("ThumbprintList.member.1", new string('b', 41)), ("ClientIDList.member.1", new string('b', 256)));
        AssertError(reply, 400, "ValidationError");
        Assert.That(Error(reply.Xml), Is.EqualTo(
            "3 validation errors detected: Value at 'clientIDList' failed to satisfy constraint: Member must satisfy constraint: "
            + "[Member must have length less than or equal to 255, Member must have length greater than or equal to 1]; "
            + "Value at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: "
            + "[Member must have length less than or equal to 40, Member must have length greater than or equal to 40]; "
            + "Value at 'url' failed to satisfy constraint: Member must have length less than or equal to 255"));
    }

    [Test]
    public async Task Create_with_six_thumbprints_is_InvalidInput()
    {
        var parameters = Enumerable.Range(1, 6).Select(i => ($"ThumbprintList.member.{i}", new string((char)('a' + i), 40))).Prepend(("Url", Url)).ToArray();
        var reply = await CallAsync("CreateOpenIDConnectProvider", parameters);
        AssertError(reply, 400, "InvalidInput");
        Assert.That(Error(reply.Xml), Is.EqualTo("Thumbprint list must contain fewer than 5 entries."));
    }

    [Test]
    public async Task Create_with_five_thumbprints_is_accepted()
    {
        var parameters = Enumerable.Range(1, 5).Select(i => ($"ThumbprintList.member.{i}", new string((char)('a' + i), 40))).Prepend(("Url", Url)).ToArray();
        Assert.That((await CallAsync("CreateOpenIDConnectProvider", parameters)).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task Create_with_101_client_ids_exceeds_the_quota()
    {
        var parameters = Enumerable.Range(1, 101).Select(i => ($"ClientIDList.member.{i}", $"c{i}")).Prepend(("Url", Url)).ToArray();
        var reply = await CallAsync("CreateOpenIDConnectProvider", parameters);
        AssertError(reply, 409, "LimitExceeded");
        Assert.That(Error(reply.Xml), Is.EqualTo("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100"));
    }

    [Test]
    public async Task Create_with_tag_keys_differing_by_case_is_InvalidInput() =>
        AssertError(await CallAsync("CreateOpenIDConnectProvider", ("Url", Url), ("Tags.member.1.Key", "key"), ("Tags.member.1.Value", "1"),
            ("Tags.member.2.Key", "KEY"), ("Tags.member.2.Value", "2")), 400, "InvalidInput");

    [Test]
    public async Task Create_with_a_bad_tag_key_is_a_pattern_violation()
    {
        var reply = await CallAsync("CreateOpenIDConnectProvider", ("Url", Url), ("Tags.member.1.Key", "bad*key"), ("Tags.member.1.Value", "v"));
        AssertError(reply, 400, "ValidationError");
        Assert.That(Error(reply.Xml), Does.Contain("Value at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern"));
    }

    [Test]
    public async Task Create_twice_is_EntityAlreadyExists()
    {
        await CallAsync("CreateOpenIDConnectProvider", ("Url", Url));
        var reply = await CallAsync("CreateOpenIDConnectProvider", ("Url", Url));
        AssertError(reply, 409, "EntityAlreadyExists");
        Assert.That(Error(reply.Xml), Is.EqualTo("Provider with url https://idp.example.com already exists."));
    }

    [Test]
    public async Task Get_of_a_missing_provider_is_NoSuchEntity()
    {
        var reply = await CallAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn));
        AssertError(reply, 404, "NoSuchEntity");
        Assert.That(Error(reply.Xml), Is.EqualTo($"OpenIDConnect Provider not found for arn {Arn}"));
    }

    [Test]
    public async Task Get_with_a_short_arn_is_a_ValidationError() =>
        AssertError(await CallAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", "arn:aws:iam::1:x")), 400, "ValidationError");

    [Test]
    public async Task Get_with_a_role_arn_is_InvalidInput() =>
        AssertError(await CallAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", "arn:aws:iam::123456789012:role/Admin")), 400, "InvalidInput");

    [Test]
    public async Task List_returns_every_arn()
    {
        await CallAsync("CreateOpenIDConnectProvider", ("Url", Url));
        await CallAsync("CreateOpenIDConnectProvider", ("Url", "https://other.example.com"));
        var reply = await CallAsync("ListOpenIDConnectProviders");
        var arns = reply.Xml.Descendants(Ns + "Arn").Select(e => e.Value);
        Assert.That(arns, Is.EqualTo(new[] { Arn, "arn:aws:iam::123456789012:oidc-provider/other.example.com" }));
    }

    [Test]
    public async Task Delete_removes_and_a_second_delete_is_NoSuchEntity()
    {
        await CallAsync("CreateOpenIDConnectProvider", ("Url", Url));
        Assert.That((await CallAsync("DeleteOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn))).Status, Is.EqualTo(200));
        AssertError(await CallAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn)), 404, "NoSuchEntity");
        var again = await CallAsync("DeleteOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn));
        AssertError(again, 404, "NoSuchEntity");
        Assert.That(Error(again.Xml), Is.EqualTo($"OpenId connect Provider {Arn} cannot be found."));
    }

    [Test]
    public async Task UpdateThumbprint_replaces_the_list()
    {
        await CallAsync("CreateOpenIDConnectProvider", ("Url", Url), ("ThumbprintList.member.1", Thumb));
        var reply = await CallAsync("UpdateOpenIDConnectProviderThumbprint", ("OpenIDConnectProviderArn", Arn),
            ("ThumbprintList.member.1", new string('c', 40)), ("ThumbprintList.member.2", new string('d', 40)));
        Assert.That(reply.Status, Is.EqualTo(200));
        var got = await CallAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn));
        Assert.That(Members(got.Xml, "ThumbprintList"), Is.EqualTo(new[] { new string('c', 40), new string('d', 40) }));
    }

    [Test]
    public async Task UpdateThumbprint_without_a_list_is_a_null_member()
    {
        await CallAsync("CreateOpenIDConnectProvider", ("Url", Url));
        var reply = await CallAsync("UpdateOpenIDConnectProviderThumbprint", ("OpenIDConnectProviderArn", Arn));
        AssertError(reply, 400, "ValidationError");
        Assert.That(Error(reply.Xml), Does.Contain("Value at 'thumbprintList' failed to satisfy constraint: Member must not be null"));
    }

    [Test]
    public async Task UpdateThumbprint_of_a_missing_provider_is_NoSuchEntity() =>
        AssertError(await CallAsync("UpdateOpenIDConnectProviderThumbprint", ("OpenIDConnectProviderArn", Arn), ("ThumbprintList.member.1", Thumb)), 404, "NoSuchEntity");

    [Test]
    public async Task AddClientId_adds_once_and_RemoveClientId_removes_idempotently()
    {
        await CallAsync("CreateOpenIDConnectProvider", ("Url", Url), ("ClientIDList.member.1", "a"));
        Assert.That((await CallAsync("AddClientIDToOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", "b"))).Status, Is.EqualTo(200));
        Assert.That((await CallAsync("AddClientIDToOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", "b"))).Status, Is.EqualTo(200));
        Assert.That(await ClientIdsAsync(), Is.EqualTo(new[] { "a", "b" }));

        Assert.That((await CallAsync("RemoveClientIDFromOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", "a"))).Status, Is.EqualTo(200));
        Assert.That((await CallAsync("RemoveClientIDFromOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", "a"))).Status, Is.EqualTo(200));
        Assert.That(await ClientIdsAsync(), Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public async Task AddClientId_beyond_100_exceeds_the_quota()
    {
        var parameters = Enumerable.Range(1, 100).Select(i => ($"ClientIDList.member.{i}", $"c{i}")).Prepend(("Url", Url)).ToArray();
        await CallAsync("CreateOpenIDConnectProvider", parameters);
        AssertError(await CallAsync("AddClientIDToOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", "one-more")), 409, "LimitExceeded");
    }

    [Test]
    public async Task AddClientId_checks_the_client_id_length()
    {
        await CallAsync("CreateOpenIDConnectProvider", ("Url", Url));
        var reply = await CallAsync("AddClientIDToOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", new string('c', 256)));
        AssertError(reply, 400, "ValidationError");
        Assert.That(Error(reply.Xml), Is.EqualTo("1 validation error detected: Value at 'clientID' failed to satisfy constraint: Member must have length less than or equal to 255"));
    }

    [Test]
    public async Task Client_id_changes_on_a_missing_provider_are_NoSuchEntity()
    {
        AssertError(await CallAsync("AddClientIDToOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", "a")), 404, "NoSuchEntity");
        AssertError(await CallAsync("RemoveClientIDFromOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", "a")), 404, "NoSuchEntity");
    }

    private async Task<string[]> ClientIdsAsync() => Members((await CallAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn))).Xml, "ClientIDList");

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

    private static string[] Members(XDocument xml, string list) => [.. xml.Descendants(Ns + list).Single().Elements(Ns + "member").Select(e => e.Value)];

    private static string? Error(XDocument xml) => Value(xml, "Message");

    private static void AssertError((int Status, XDocument Xml) reply, int status, string code)
    {
        Assert.That(reply.Status, Is.EqualTo(status), reply.Xml.ToString());
        Assert.That(Value(reply.Xml, "Code"), Is.EqualTo(code), reply.Xml.ToString());
        Assert.That(reply.Xml.Root!.Name, Is.EqualTo(Ns + "ErrorResponse"));
    }
}
