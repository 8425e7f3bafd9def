using System.Text.Json;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// Temporary credentials are authorized against the resource each call acts on, through the real server:
/// a Deny naming one pool or role stops calls on it, an Allow naming only the caller's own pool suffices, and the condition
/// keys AWS provides (aws:PrincipalTag, aws:SourceIp, aws:CurrentTime, aws:ResourceTag) are in the request context.
/// </summary>
[TestFixture]
public sealed class ResourceAuthorizationTests
{
    private const string AllowAllCognito = """{"Effect":"Allow","Action":"cognito-identity:*","Resource":"*"}""";

    private BrokerServer _server = null!;
    private TemporaryCallers _callers = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        _callers = await TemporaryCallers.CreateAsync(_server);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task A_deny_on_one_pool_arn_wins_over_an_allow_on_everything_and_the_pool_survives()
    {
        var victim = await _callers.CreatePoolAsync("Victim");
        var other = await _callers.CreatePoolAsync("Other");
        await _callers.GrantAsync(TemporaryCallers.GuestRole, TemporaryCallers.Policy(
            AllowAllCognito,
            $$"""{"Effect":"Deny","Action":"cognito-identity:*","Resource":"{{TemporaryCallers.PoolArn(victim)}}"}"""));

        using var refused = await DeleteAsGuestAsync(victim);
        var message = await AwsErrorAssert.IsJsonErrorAsync(refused, "AccessDeniedException");
        using var allowed = await DeleteAsGuestAsync(other);

        Assert.Multiple(async () =>
        {
            Assert.That(message, Does.Contain($"cognito-identity:DeleteIdentityPool on resource: {TemporaryCallers.PoolArn(victim)}"));
            Assert.That(await _callers.PoolExistsAsync(victim), Is.True, "the denied pool is still there");
            Assert.That((int)allowed.StatusCode, Is.EqualTo(200), "the allow on * still covers other pools");
            Assert.That(await _callers.PoolExistsAsync(other), Is.False);
        });
    }

    [Test]
    public async Task An_allow_on_the_callers_own_pool_arn_alone_suffices_and_covers_no_other_pool()
    {
        var stranger = await _callers.CreatePoolAsync("Stranger");
        await _callers.GrantAsync(TemporaryCallers.GuestRole, TemporaryCallers.Policy(
            $$"""{"Effect":"Allow","Action":"cognito-identity:DescribeIdentityPool","Resource":"{{TemporaryCallers.PoolArn(_callers.PoolId)}}"}"""));

        using var own = await DescribeAsync(_callers.Guest, _callers.PoolId);
        using var foreign = await DescribeAsync(_callers.Guest, stranger);

        Assert.That((await AwsErrorAssert.IsSuccessAsync(own)).GetProperty("IdentityPoolId").GetString(), Is.EqualTo(_callers.PoolId));
        await AwsErrorAssert.IsJsonErrorAsync(foreign, "AccessDeniedException");
    }

    [TestCase("*", "*")]
    [TestCase("us-east-?", "0000*")]
    public async Task Wildcards_in_the_region_and_account_segments_match(string region, string account)
    {
        var stranger = await _callers.CreatePoolAsync("WildcardStranger");
        await _callers.GrantAsync(TemporaryCallers.GuestRole, TemporaryCallers.Policy(
            $$"""{"Effect":"Allow","Action":"cognito-identity:DescribeIdentityPool","Resource":"{{TemporaryCallers.PoolArn(_callers.PoolId, region, account)}}"}"""));

        using var own = await DescribeAsync(_callers.Guest, _callers.PoolId);
        using var foreign = await DescribeAsync(_callers.Guest, stranger);

        await AwsErrorAssert.IsSuccessAsync(own);
        await AwsErrorAssert.IsJsonErrorAsync(foreign, "AccessDeniedException");
    }

    [Test]
    public async Task A_deny_on_one_role_arn_wins_over_iam_star_and_the_role_survives()
    {
        await CreateRoleAsync("Critical", "/");
        await CreateRoleAsync("Expendable", "/");
        await CreateRoleAsync("Guarded", "/ops/");
        await _callers.GrantAsync(TemporaryCallers.UserRole, TemporaryCallers.Policy(
            """{"Effect":"Allow","Action":"iam:*","Resource":"*"}""",
            """{"Effect":"Deny","Action":"iam:*","Resource":["arn:aws:iam::000000000000:role/Critical","arn:aws:iam::*:role/ops/*"]}"""));

        using var critical = await _server.SignedQueryAsync("iam", "Action=DeleteRole&Version=2010-05-08&RoleName=Critical", _callers.User);
        using var guarded = await _server.SignedQueryAsync("iam", "Action=DeleteRole&Version=2010-05-08&RoleName=Guarded", _callers.User);
        using var expendable = await _server.SignedQueryAsync("iam", "Action=DeleteRole&Version=2010-05-08&RoleName=Expendable", _callers.User);
        var criticalBody = await critical.Content.ReadAsStringAsync();

        Assert.Multiple(async () =>
        {
            Assert.That((int)critical.StatusCode, Is.EqualTo(403), criticalBody);
            Assert.That(criticalBody, Does.Contain("<Code>AccessDenied</Code>").And.Contain("on resource: arn:aws:iam::000000000000:role/Critical"));
            Assert.That((int)guarded.StatusCode, Is.EqualTo(403), "the role's path is part of its ARN");
            Assert.That((int)expendable.StatusCode, Is.EqualTo(200), await expendable.Content.ReadAsStringAsync());
            Assert.That(await RoleExistsAsync("Critical"), Is.True);
            Assert.That(await RoleExistsAsync("Guarded"), Is.True);
            Assert.That(await RoleExistsAsync("Expendable"), Is.False);
        });
    }

    [Test]
    public async Task A_principal_tag_in_the_resource_names_the_pool_the_session_may_read()
    {
        var stranger = await _callers.CreatePoolAsync("TagStranger");
        await _callers.GrantAsync(TemporaryCallers.UserRole, TemporaryCallers.Policy(
            """{"Effect":"Allow","Action":"cognito-identity:DescribeIdentityPool","Resource":"arn:aws:cognito-identity:us-east-1:000000000000:identitypool/${aws:PrincipalTag/pool}"}"""));

        using var own = await DescribeAsync(_callers.User, _callers.PoolId);
        using var foreign = await DescribeAsync(_callers.User, stranger);

        await AwsErrorAssert.IsSuccessAsync(own);
        await AwsErrorAssert.IsJsonErrorAsync(foreign, "AccessDeniedException");
    }

    [TestCase("StringEquals", "aws:PrincipalTag/pool", "{pool}", true)]
    [TestCase("StringEquals", "aws:PrincipalTag/pool", "us-east-1:00000000-0000-0000-0000-000000000000", false)]
    [TestCase("IpAddress", "aws:SourceIp", "127.0.0.0/8", true)]
    [TestCase("IpAddress", "aws:SourceIp", "10.0.0.0/8", false)]
    [TestCase("DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00Z", true)]
    [TestCase("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z", false)]
    [TestCase("NumericGreaterThan", "aws:EpochTime", "1577836800", true)]
    public async Task Global_condition_keys_are_in_the_request_context(string condition, string key, string value, bool allowed)
    {
        await _callers.GrantAsync(TemporaryCallers.UserRole, TemporaryCallers.Policy(
            """{"Effect":"Allow","Action":"cognito-identity:DescribeIdentityPool","Resource":"*","Condition":{"C":{"K":"V"}}}"""
                .Replace("\"C\"", $"\"{condition}\"", StringComparison.Ordinal)
                .Replace("\"K\"", $"\"{key}\"", StringComparison.Ordinal)
                .Replace("\"V\"", $"\"{value.Replace("{pool}", _callers.PoolId, StringComparison.Ordinal)}\"", StringComparison.Ordinal)));

        using var response = await DescribeAsync(_callers.User, _callers.PoolId);

        Assert.That((int)response.StatusCode, Is.EqualTo(allowed ? 200 : 400), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_deny_on_a_resource_tag_stops_calls_on_pools_carrying_it()
    {
        var production = await _callers.CreatePoolAsync("Production", """{"env":"prod"}""");
        var scratch = await _callers.CreatePoolAsync("Scratch", """{"env":"dev"}""");
        await _callers.GrantAsync(TemporaryCallers.GuestRole, TemporaryCallers.Policy(
            AllowAllCognito,
            """{"Effect":"Deny","Action":"cognito-identity:DeleteIdentityPool","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/env":"prod"}}}"""));

        using var refused = await DeleteAsGuestAsync(production);
        using var allowed = await DeleteAsGuestAsync(scratch);

        await AwsErrorAssert.IsJsonErrorAsync(refused, "AccessDeniedException");
        Assert.Multiple(async () =>
        {
            Assert.That((int)allowed.StatusCode, Is.EqualTo(200));
            Assert.That(await _callers.PoolExistsAsync(production), Is.True);
        });
    }

    [Test]
    public async Task A_request_tag_condition_governs_what_tags_a_new_pool_may_carry()
    {
        await _callers.GrantAsync(TemporaryCallers.GuestRole, TemporaryCallers.Policy(
            """{"Effect":"Allow","Action":"cognito-identity:CreateIdentityPool","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"blue"}}}"""));

        using var blue = await _server.SignedCognitoAsync("CreateIdentityPool",
            """{"IdentityPoolName":"Blue","AllowUnauthenticatedIdentities":true,"IdentityPoolTags":{"team":"blue"}}""", _callers.Guest);
        using var red = await _server.SignedCognitoAsync("CreateIdentityPool",
            """{"IdentityPoolName":"Red","AllowUnauthenticatedIdentities":true,"IdentityPoolTags":{"team":"red"}}""", _callers.Guest);

        await AwsErrorAssert.IsSuccessAsync(blue);
        await AwsErrorAssert.IsJsonErrorAsync(red, "AccessDeniedException");
    }

    [Test]
    public async Task Identity_operations_carry_the_pool_of_the_identity_as_cognito_identity_IdentityPoolArn()
    {
        var stranger = await _callers.CreatePoolAsync("IdentityStranger");
        var mine = await _callers.NewGuestIdentityAsync(_callers.PoolId);
        var theirs = await _callers.NewGuestIdentityAsync(stranger);
        await _callers.GrantAsync(TemporaryCallers.GuestRole, TemporaryCallers.Policy(
            """{"Effect":"Allow","Action":["cognito-identity:DescribeIdentity","cognito-identity:DeleteIdentities"],"Resource":"*","Condition":{"ArnEquals":{"cognito-identity:IdentityPoolArn":"POOL"}}}"""
                .Replace("POOL", TemporaryCallers.PoolArn(_callers.PoolId), StringComparison.Ordinal)));

        using var own = await _server.SignedCognitoAsync("DescribeIdentity", JsonSerializer.Serialize(new { IdentityId = mine }), _callers.Guest);
        using var foreign = await _server.SignedCognitoAsync("DescribeIdentity", JsonSerializer.Serialize(new { IdentityId = theirs }), _callers.Guest);
        using var mixed = await _server.SignedCognitoAsync("DeleteIdentities",
            JsonSerializer.Serialize(new { IdentityIdsToDelete = new[] { mine, theirs } }), _callers.Guest);
        using var stillThere = await _server.SignedCognitoAsync("DescribeIdentity", JsonSerializer.Serialize(new { IdentityId = theirs }));

        await AwsErrorAssert.IsSuccessAsync(own);
        await AwsErrorAssert.IsJsonErrorAsync(foreign, "AccessDeniedException");
        await AwsErrorAssert.IsJsonErrorAsync(mixed, "AccessDeniedException");
        await AwsErrorAssert.IsSuccessAsync(stillThere);
    }

    private Task<HttpResponseMessage> DeleteAsGuestAsync(string poolId) =>
        _server.SignedCognitoAsync("DeleteIdentityPool", JsonSerializer.Serialize(new { IdentityPoolId = poolId }), _callers.Guest);

    private Task<HttpResponseMessage> DescribeAsync(SigningKey key, string poolId) =>
        _server.SignedCognitoAsync("DescribeIdentityPool", JsonSerializer.Serialize(new { IdentityPoolId = poolId }), key);

    private async Task CreateRoleAsync(string name, string path)
    {
        const string trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""";
        using var response = await _server.SignedQueryAsync("iam",
            $"Action=CreateRole&Version=2010-05-08&RoleName={name}&Path={Uri.EscapeDataString(path)}&AssumeRolePolicyDocument={Uri.EscapeDataString(trust)}");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    private async Task<bool> RoleExistsAsync(string name)
    {
        using var response = await _server.SignedQueryAsync("iam", $"Action=GetRole&Version=2010-05-08&RoleName={name}");
        return response.IsSuccessStatusCode;
    }
}
