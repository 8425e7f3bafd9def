using System.Text.Json;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// Callers with embedded-STS credentials from the demo pool, over HTTP: a guest (DemoUnauthenticatedRole, with Cognito's
/// scope-down session policy) and a developer-authenticated user (DemoAuthenticatedRole, no scope-down) whose session
/// carries the principal tag <c>pool</c> = the demo pool id. Each role's permissions are one inline policy the test sets.
/// </summary>
internal sealed class TemporaryCallers
{
    public const string Account = "000000000000";
    public const string GuestRole = "DemoUnauthenticatedRole";
    public const string UserRole = "DemoAuthenticatedRole";
    private const string Developer = "dev.example.app";

    private readonly BrokerServer _server;

    private TemporaryCallers(BrokerServer server, string poolId, SigningKey guest, SigningKey user)
    {
        _server = server;
        PoolId = poolId;
        Guest = guest;
        User = user;
    }

    public string PoolId { get; }

    public SigningKey Guest { get; }

    public SigningKey User { get; }

    public static async Task<TemporaryCallers> CreateAsync(BrokerServer server)
    {
        var poolId = server.DemoPoolId;
        await SucceedsAsync(await server.SignedCognitoAsync("UpdateIdentityPool", JsonSerializer.Serialize(new
        {
            IdentityPoolId = poolId, IdentityPoolName = "DemoPool", AllowUnauthenticatedIdentities = true, DeveloperProviderName = Developer,
        })));

        // Session tags need sts:TagSession in the role's trust (as in IAM).
        var trust = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
            "Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"],
            "Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"POOL"},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}
            """.Replace("POOL", poolId, StringComparison.Ordinal);
        await IamSucceedsAsync(server, $"Action=UpdateAssumeRolePolicy&Version=2010-05-08&RoleName={UserRole}&PolicyDocument={Uri.EscapeDataString(trust)}");

        var guestId = (await SucceedsAsync(await server.CognitoAsync("GetId", JsonSerializer.Serialize(new { IdentityPoolId = poolId }))))
            .GetProperty("IdentityId").GetString()!;
        var guest = await CredentialsAsync(server, JsonSerializer.Serialize(new { IdentityId = guestId }));

        var developer = await SucceedsAsync(await server.SignedCognitoAsync("GetOpenIdTokenForDeveloperIdentity", JsonSerializer.Serialize(new
        {
            IdentityPoolId = poolId,
            Logins = new Dictionary<string, string> { [Developer] = "resource-user" },
            PrincipalTags = new Dictionary<string, string> { ["pool"] = poolId },
        })));
        var user = await CredentialsAsync(server, JsonSerializer.Serialize(new
        {
            IdentityId = developer.GetProperty("IdentityId").GetString(),
            Logins = new Dictionary<string, string> { ["cognito-identity.amazonaws.com"] = developer.GetProperty("Token").GetString()! },
        }));
        return new TemporaryCallers(server, poolId, guest, user);
    }

    public static string PoolArn(string poolId, string region = "us-east-1", string account = Account) =>
        $"arn:aws:cognito-identity:{region}:{account}:identitypool/{poolId}";

    public static string Policy(params string[] statements) => $$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""";

    /// <summary>Replaces the role's test policy; sessions already issued are evaluated against it from the next call.</summary>
    public Task GrantAsync(string roleName, string policy) =>
        IamSucceedsAsync(_server, $"Action=PutRolePolicy&Version=2010-05-08&RoleName={roleName}&PolicyName=ResourceTest&PolicyDocument={Uri.EscapeDataString(policy)}");

    public async Task<string> CreatePoolAsync(string name, string? tagsJson = null)
    {
        var tags = tagsJson is null ? string.Empty : $",\"IdentityPoolTags\":{tagsJson}";
        using var response = await _server.SignedCognitoAsync("CreateIdentityPool", $$"""{"IdentityPoolName":"{{name}}","AllowUnauthenticatedIdentities":true{{tags}}}""");
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("IdentityPoolId").GetString()!;
    }

    public async Task<string> NewGuestIdentityAsync(string poolId)
    {
        using var response = await _server.CognitoAsync("GetId", JsonSerializer.Serialize(new { IdentityPoolId = poolId }));
        return (await AwsErrorAssert.IsSuccessAsync(response)).GetProperty("IdentityId").GetString()!;
    }

    public async Task<bool> PoolExistsAsync(string poolId)
    {
        using var response = await _server.SignedCognitoAsync("DescribeIdentityPool", JsonSerializer.Serialize(new { IdentityPoolId = poolId }));
        return response.IsSuccessStatusCode;
    }

    private static async Task<SigningKey> CredentialsAsync(BrokerServer server, string body)
    {
        var c = (await SucceedsAsync(await server.CognitoAsync("GetCredentialsForIdentity", body))).GetProperty("Credentials");
        return new SigningKey(c.GetProperty("AccessKeyId").GetString()!, c.GetProperty("SecretKey").GetString()!, c.GetProperty("SessionToken").GetString());
    }

    private static async Task<JsonElement> SucceedsAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return await AwsErrorAssert.IsSuccessAsync(response);
        }
    }

    private static async Task IamSucceedsAsync(BrokerServer server, string form)
    {
        using var response = await server.SignedQueryAsync("iam", form);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }
}
