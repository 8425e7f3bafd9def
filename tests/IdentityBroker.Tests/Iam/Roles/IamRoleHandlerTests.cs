using System.Xml.Linq;
using IdentityBroker.Iam.Roles;
using IdentityBroker.Policies;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Tests.Sts;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Iam.Roles;

public sealed class IamRoleHandlerTests
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""";
    private const string Permission = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    private static readonly SigningPrincipal Admin = new("AKIAADMIN", "secret", "arn:aws:iam::000000000000:root", "000000000000", true);

    private InMemoryIamStore _store = null!;
    private IamRoleHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new InMemoryIamStore();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        _handler = new IamRoleHandler(_store, new PolicyCache(), Microsoft.Extensions.Options.Options.Create(new BrokerOptions { AccountId = "123456789012" }), time);
    }

    private async Task<(int Status, XDocument Xml)> CallAsync(string action, Dictionary<string, string> parameters)
    {
        parameters["Action"] = action;
        parameters["Version"] = "2010-05-08";
        var response = await _handler.HandleAsync(action, StsFixture.Query(parameters, Admin), CancellationToken.None);
        return (response.StatusCode, XDocument.Parse(System.Text.Encoding.UTF8.GetString(response.Body.Span)));
    }

    private Task<(int Status, XDocument Xml)> CreateAsync(string name, string trust = Trust, string? path = null)
    {
        var parameters = new Dictionary<string, string> { ["RoleName"] = name, ["AssumeRolePolicyDocument"] = trust };
        if (path is not null)
        {
            parameters["Path"] = path;
        }

        return CallAsync("CreateRole", parameters);
    }

    private static string? Value(XDocument xml, string name) => StsFixture.Value(xml, name);

    [Test]
    public async Task CreateRole_returns_the_role_as_iam_does()
    {
        var (status, xml) = await CreateAsync("App", path: "/team/");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(xml.Root!.Name, Is.EqualTo(XName.Get("CreateRoleResponse", "https://iam.amazonaws.com/doc/2010-05-08/")));
        Assert.That(Value(xml, "Arn"), Is.EqualTo("arn:aws:iam::123456789012:role/team/App"));
        Assert.That(Value(xml, "Path"), Is.EqualTo("/team/"));
        Assert.That(Value(xml, "RoleId"), Does.Match("^AROA[A-Z2-7]{17}$"));
        Assert.That(Value(xml, "CreateDate"), Is.EqualTo("2026-03-01T12:00:00Z"));
        Assert.That(Value(xml, "MaxSessionDuration"), Is.EqualTo("3600"));
        Assert.That(Value(xml, "AssumeRolePolicyDocument"), Does.StartWith("%7B%22Version%22%3A%222012-10-17%22"));
        Assert.That(Uri.UnescapeDataString(Value(xml, "AssumeRolePolicyDocument")!), Is.EqualTo(Trust));
    }

    [Test]
    public async Task GetRole_returns_the_stored_role()
    {
        await CreateAsync("App");
        await CallAsync("UpdateRole", new() { ["RoleName"] = "App", ["Description"] = "web", ["MaxSessionDuration"] = "7200" });

        var (status, xml) = await CallAsync("GetRole", new() { ["RoleName"] = "App" });

        Assert.That(status, Is.EqualTo(200));
        Assert.That(Value(xml, "Description"), Is.EqualTo("web"));
        Assert.That(Value(xml, "MaxSessionDuration"), Is.EqualTo("7200"));
    }

    [Test]
    public async Task Unknown_role_is_NoSuchEntity_404()
    {
        var (status, xml) = await CallAsync("GetRole", new() { ["RoleName"] = "Ghost" });

        Assert.That(status, Is.EqualTo(404));
        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("NoSuchEntity"));
        Assert.That(Value(xml, "Message"), Is.EqualTo("The role with name Ghost cannot be found."));
    }

    [Test]
    public async Task Duplicate_role_is_EntityAlreadyExists_409()
    {
        await CreateAsync("App");

        var (status, xml) = await CreateAsync("App");

        Assert.That(status, Is.EqualTo(409));
        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("EntityAlreadyExists"));
    }

    [TestCase("RoleName", "has space")]
    [TestCase("RoleName", "")]
    [TestCase("Path", "team")]
    [TestCase("Path", "/team")]
    [TestCase("MaxSessionDuration", "3599")]
    [TestCase("MaxSessionDuration", "43201")]
    [TestCase("MaxSessionDuration", "x")]
    [TestCase("AssumeRolePolicyDocument", "{\"x\":\"\u0100\"}")]
    public async Task Model_constraints_are_ValidationError(string name, string value)
    {
        var parameters = new Dictionary<string, string> { ["RoleName"] = "App", ["AssumeRolePolicyDocument"] = Trust, [name] = value };

        var (status, xml) = await CallAsync("CreateRole", parameters);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("ValidationError"));
        Assert.That(Value(xml, "Message"), Does.StartWith("1 validation error detected: Value "));
    }

    [Test]
    public async Task Missing_role_name_says_it_must_not_be_null()
    {
        var (_, xml) = await CallAsync("CreateRole", new() { ["AssumeRolePolicyDocument"] = Trust });

        Assert.That(Value(xml, "Message"), Is.EqualTo("1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null"));
    }

    [Test]
    public async Task Malformed_trust_policy_is_MalformedPolicyDocument()
    {
        var withResource = Trust.Replace("\"Action\"", "\"Resource\":\"*\",\"Action\"", StringComparison.Ordinal);

        var (status, xml) = await CreateAsync("App", withResource);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("MalformedPolicyDocument"));
        Assert.That(Value(xml, "Message"), Is.EqualTo("Has prohibited field Resource"));
    }

    [Test]
    public async Task Permission_policy_with_a_principal_is_refused_by_PutRolePolicy()
    {
        await CreateAsync("App");

        var (_, xml) = await CallAsync("PutRolePolicy", new() { ["RoleName"] = "App", ["PolicyName"] = "p", ["PolicyDocument"] = Trust });

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("MalformedPolicyDocument"));
        Assert.That(Value(xml, "Message"), Is.EqualTo("Policy document should not specify a principal."));
    }

    [Test]
    public async Task ListRoles_pages_with_Marker_and_MaxItems()
    {
        foreach (var name in new[] { "c", "A", "b", "d", "E" })
        {
            await CreateAsync(name);
        }

        var names = new List<string>();
        string? marker = null;
        var pages = 0;
        do
        {
            var parameters = new Dictionary<string, string> { ["MaxItems"] = "2" };
            if (marker is not null)
            {
                parameters["Marker"] = marker;
            }

            var (_, xml) = await CallAsync("ListRoles", parameters);
            names.AddRange(xml.Descendants().Where(e => e.Name.LocalName == "RoleName").Select(e => e.Value));
            marker = Value(xml, "IsTruncated") == "true" ? Value(xml, "Marker") : null;
            pages++;
        }
        while (marker is not null);

        Assert.That(names, Is.EqualTo(new[] { "A", "b", "c", "d", "E" }));
        Assert.That(pages, Is.EqualTo(3));
    }

    [Test]
    public async Task ListRoles_filters_by_path_prefix()
    {
        await CreateAsync("One", path: "/team/");
        await CreateAsync("Two");

        var (_, xml) = await CallAsync("ListRoles", new() { ["PathPrefix"] = "/team/" });

        Assert.That(xml.Descendants().Where(e => e.Name.LocalName == "RoleName").Select(e => e.Value), Is.EqualTo(new[] { "One" }));
        Assert.That(Value(xml, "IsTruncated"), Is.EqualTo("false"));
    }

    [Test]
    public async Task Inline_policies_round_trip_and_block_deletion()
    {
        await CreateAsync("App");
        await CallAsync("PutRolePolicy", new() { ["RoleName"] = "App", ["PolicyName"] = "read", ["PolicyDocument"] = Permission });

        var (_, got) = await CallAsync("GetRolePolicy", new() { ["RoleName"] = "App", ["PolicyName"] = "read" });
        var (_, list) = await CallAsync("ListRolePolicies", new() { ["RoleName"] = "App" });
        var (conflict, conflictXml) = await CallAsync("DeleteRole", new() { ["RoleName"] = "App" });

        Assert.That(Uri.UnescapeDataString(Value(got, "PolicyDocument")!), Is.EqualTo(Permission));
        Assert.That(list.Descendants().Where(e => e.Name.LocalName == "member").Select(e => e.Value), Is.EqualTo(new[] { "read" }));
        Assert.That(conflict, Is.EqualTo(409));
        Assert.That(StsFixture.ErrorCode(conflictXml), Is.EqualTo("DeleteConflict"));
        Assert.That(Value(conflictXml, "Message"), Is.EqualTo("Cannot delete entity, must delete policies first."));

        await CallAsync("DeleteRolePolicy", new() { ["RoleName"] = "App", ["PolicyName"] = "read" });
        var (deleted, _) = await CallAsync("DeleteRole", new() { ["RoleName"] = "App" });
        var (gone, _) = await CallAsync("GetRole", new() { ["RoleName"] = "App" });

        Assert.That(deleted, Is.EqualTo(200));
        Assert.That(gone, Is.EqualTo(404));
    }

    [Test]
    public async Task Unknown_inline_policy_is_NoSuchEntity()
    {
        await CreateAsync("App");

        var (status, xml) = await CallAsync("GetRolePolicy", new() { ["RoleName"] = "App", ["PolicyName"] = "none" });

        Assert.That(status, Is.EqualTo(404));
        Assert.That(Value(xml, "Message"), Is.EqualTo("The role policy with name none cannot be found."));
    }

    [Test]
    public async Task UpdateAssumeRolePolicy_replaces_the_trust_policy_after_checking_it()
    {
        await CreateAsync("App");
        var newTrust = Trust.Replace("cognito-identity.amazonaws.com", "arn:aws:iam::123456789012:oidc-provider/idp.example.com", StringComparison.Ordinal);

        var (bad, _) = await CallAsync("UpdateAssumeRolePolicy", new() { ["RoleName"] = "App", ["PolicyDocument"] = "{" });
        var (ok, _) = await CallAsync("UpdateAssumeRolePolicy", new() { ["RoleName"] = "App", ["PolicyDocument"] = newTrust });
        var role = await _store.GetRoleAsync("App", CancellationToken.None);

        Assert.That(bad, Is.EqualTo(400));
        Assert.That(ok, Is.EqualTo(200));
        Assert.That(role!.AssumeRolePolicyDocument, Is.EqualTo(newTrust));
    }

    [Test]
    public void Every_role_action_requires_a_signature()
    {
        Assert.That(_handler.Actions.All(_handler.RequiresSignature), Is.True);
        Assert.That(_handler.Actions, Has.Count.EqualTo(10));
    }
}
