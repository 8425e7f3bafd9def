using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Query;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// The resource each signed operation is authorized against, read from the refusal a caller with no permission for it gets
/// (<c>… is not authorized to perform: &lt;action&gt; on resource: &lt;ARN&gt;</c>), against the Service Authorization
/// Reference: the pool ARN for pool-scoped Cognito Identity actions, <c>*</c> for ListIdentityPools, CreateIdentityPool,
/// DescribeIdentity and DeleteIdentities (the tag actions: the pool ARN they name); <c>role/&lt;path&gt;&lt;name&gt;</c>, <c>oidc-provider/&lt;host/path&gt;</c>,
/// <c>saml-provider/&lt;name&gt;</c> for IAM, <c>*</c> for its List actions.
/// </summary>
[TestFixture]
public sealed class ResourceArnTableTests
{
    private const string Pool = "arn:aws:cognito-identity:us-east-1:000000000000:identitypool/{pool}";
    private const string Role = "arn:aws:iam::000000000000:role/team/Tabled";
    private const string Oidc = "arn:aws:iam::000000000000:oidc-provider/idp.example.com/tenant";
    private const string Saml = "arn:aws:iam::000000000000:saml-provider/Corp";
    private static readonly string Trust = Uri.EscapeDataString(
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""");

    private static readonly TestCaseData[] CognitoCases =
    [
        Case("CreateIdentityPool", """{"IdentityPoolName":"Tabled","AllowUnauthenticatedIdentities":true}""", "*"),
        Case("DescribeIdentityPool", """{"IdentityPoolId":"{pool}"}""", Pool),
        Case("UpdateIdentityPool", """{"IdentityPoolId":"{pool}","IdentityPoolName":"DemoPool","AllowUnauthenticatedIdentities":true}""", Pool),
        Case("DeleteIdentityPool", """{"IdentityPoolId":"{pool}"}""", Pool),
        Case("ListIdentityPools", """{"MaxResults":5}""", "*"),
        Case("SetIdentityPoolRoles", """{"IdentityPoolId":"{pool}","Roles":{}}""", Pool),
        Case("GetIdentityPoolRoles", """{"IdentityPoolId":"{pool}"}""", Pool),
        Case("DescribeIdentity", """{"IdentityId":"{identity}"}""", "*"),
        Case("ListIdentities", """{"IdentityPoolId":"{pool}","MaxResults":5}""", Pool),
        Case("DeleteIdentities", """{"IdentityIdsToDelete":["{identity}"]}""", "*"),
        Case("GetOpenIdTokenForDeveloperIdentity", """{"IdentityPoolId":"{pool}","Logins":{"dev.example.app":"u"}}""", Pool),
        Case("LookupDeveloperIdentity", """{"IdentityPoolId":"{pool}","IdentityId":"{identity}"}""", Pool),
        Case("MergeDeveloperIdentities",
            """{"IdentityPoolId":"{pool}","SourceUserIdentifier":"a","DestinationUserIdentifier":"b","DeveloperProviderName":"dev.example.app"}""", Pool),
        Case("UnlinkDeveloperIdentity",
            """{"IdentityPoolId":"{pool}","IdentityId":"{identity}","DeveloperProviderName":"dev.example.app","DeveloperUserIdentifier":"u"}""", Pool),
        Case("SetPrincipalTagAttributeMap", """{"IdentityPoolId":"{pool}","IdentityProviderName":"accounts.google.com"}""", Pool),
        Case("GetPrincipalTagAttributeMap", """{"IdentityPoolId":"{pool}","IdentityProviderName":"accounts.google.com"}""", Pool),
        Case("TagResource", $$$"""{"ResourceArn":"{{{Pool}}}","Tags":{"team":"a"}}""", Pool),
        Case("UntagResource", $$$"""{"ResourceArn":"{{{Pool}}}","TagKeys":["team"]}""", Pool),
        Case("ListTagsForResource", $$$"""{"ResourceArn":"{{{Pool}}}"}""", Pool),
    ];

    private static readonly TestCaseData[] IamCases =
    [
        Case("CreateRole", $"RoleName=Fresh&Path=%2Fteam%2F&AssumeRolePolicyDocument={Trust}", "arn:aws:iam::000000000000:role/team/Fresh"),
        Case("GetRole", "RoleName=Tabled", Role),
        Case("DeleteRole", "RoleName=Tabled", Role),
        Case("ListRoles", string.Empty, "*"),
        Case("UpdateRole", "RoleName=Tabled&Description=x", Role),
        Case("UpdateAssumeRolePolicy", $"RoleName=Tabled&PolicyDocument={Trust}", Role),
        Case("PutRolePolicy", $"RoleName=Tabled&PolicyName=p&PolicyDocument={Trust}", Role),
        Case("GetRolePolicy", "RoleName=Tabled&PolicyName=p", Role),
        Case("DeleteRolePolicy", "RoleName=Tabled&PolicyName=p", Role),
        Case("ListRolePolicies", "RoleName=Tabled", Role),
        Case("CreateOpenIDConnectProvider", "Url=https%3A%2F%2Fidp.example.com%2Ftenant&ClientIDList.member.1=app", Oidc),
        Case("GetOpenIDConnectProvider", $"OpenIDConnectProviderArn={Oidc}", Oidc),
        Case("ListOpenIDConnectProviders", string.Empty, "*"),
        Case("DeleteOpenIDConnectProvider", $"OpenIDConnectProviderArn={Oidc}", Oidc),
        Case("UpdateOpenIDConnectProviderThumbprint", $"OpenIDConnectProviderArn={Oidc}&ThumbprintList.member.1={new string('a', 40)}", Oidc),
        Case("AddClientIDToOpenIDConnectProvider", $"OpenIDConnectProviderArn={Oidc}&ClientID=app2", Oidc),
        Case("RemoveClientIDFromOpenIDConnectProvider", $"OpenIDConnectProviderArn={Oidc}&ClientID=app2", Oidc),
        Case("CreateSAMLProvider", $"Name=Corp&SAMLMetadataDocument={new string('m', 1000)}", Saml),
        Case("GetSAMLProvider", $"SAMLProviderArn={Saml}", Saml),
        Case("UpdateSAMLProvider", $"SAMLProviderArn={Saml}&SAMLMetadataDocument={new string('m', 1000)}", Saml),
        Case("ListSAMLProviders", string.Empty, "*"),
        Case("DeleteSAMLProvider", $"SAMLProviderArn={Saml}", Saml),
    ];

    private BrokerServer _server = null!;
    private TemporaryCallers _callers = null!;
    private string _identityId = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        _callers = await TemporaryCallers.CreateAsync(_server);
        _identityId = await _callers.NewGuestIdentityAsync(_callers.PoolId);
        using var role = await _server.SignedQueryAsync("iam", $"Action=CreateRole&Version=2010-05-08&RoleName=Tabled&Path=%2Fteam%2F&AssumeRolePolicyDocument={Trust}");
        Assert.That((int)role.StatusCode, Is.EqualTo(200), await role.Content.ReadAsStringAsync());

        // Permission for nothing the table asks: every call is refused and names its resource.
        await _callers.GrantAsync(TemporaryCallers.GuestRole, TemporaryCallers.Policy("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"""));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCaseSource(nameof(CognitoCases))]
    public async Task Cognito_operation_is_authorized_against(string operation, string body, string resource)
    {
        using var response = await _server.SignedCognitoAsync(operation, Fill(body), _callers.Guest);

        var message = await AwsErrorAssert.IsJsonErrorAsync(response, "AccessDeniedException");
        Assert.That(message, Does.EndWith($"perform: cognito-identity:{operation} on resource: {Fill(resource)}"));
    }

    [TestCaseSource(nameof(IamCases))]
    public async Task Iam_action_is_authorized_against(string action, string form, string resource)
    {
        using var response = await _server.SignedQueryAsync("iam", $"Action={action}&Version=2010-05-08&{form}", _callers.Guest);

        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(403), body);
        Assert.That(body, Does.Contain($"perform: iam:{action} on resource: {resource}</Message>"));
    }

    [Test]
    public void The_table_covers_every_signed_operation_the_broker_serves()
    {
        var operations = _server.Services.GetRequiredService<CognitoOperations>();
        var signedCognito = CognitoOperations.ModelOperations.Where(name => operations.Find(name) is { RequiresSignature: true });
        var iamActions = _server.Services.GetServices<IQueryActionHandler>().Where(h => h.Version == "2010-05-08").SelectMany(h => h.Actions);

        Assert.That(CognitoCases.Select(c => (string)c.Arguments[0]!), Is.EquivalentTo(signedCognito));
        Assert.That(IamCases.Select(c => (string)c.Arguments[0]!), Is.EquivalentTo(iamActions));
    }

    private static TestCaseData Case(string operation, string input, string resource) =>
        new TestCaseData(operation, input, resource).SetName($"{{m}}({operation})");

    private string Fill(string text) =>
        text.Replace("{pool}", _callers.PoolId, StringComparison.Ordinal).Replace("{identity}", _identityId, StringComparison.Ordinal);
}
