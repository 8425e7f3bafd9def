using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityBroker.Load.Mixed;

/// <summary>
/// What the mixed run creates before it starts (an identity pool with an OIDC provider, guest access and roles; a guest
/// identity; a user pool with an app client and a user), the member values that name them, and the requests of a real
/// client's day on them: the ones that should succeed.
/// </summary>
public sealed class MixedResources
{
    private const string MissingPool = "us-east-1:00000000-0000-4000-8000-000000000000";
    private const string MissingIdentity = "us-east-1:00000000-0000-4000-8000-000000000001";
    private const string MissingUserPool = "us-east-1_Missing000";

    private readonly string _token;

    private MixedResources(string poolId, string identityId, string providerKey, string token, string userPoolId, string clientId, string roleArn)
    {
        PoolId = poolId;
        IdentityId = identityId;
        ProviderKey = providerKey;
        _token = token;
        UserPoolId = userPoolId;
        ClientId = clientId;
        RoleArn = roleArn;
    }

    public string PoolId { get; }

    public string IdentityId { get; }

    public string ProviderKey { get; }

    public string UserPoolId { get; }

    public string ClientId { get; }

    public string RoleArn { get; }

    public const string Username = "mixed-user";

    public static async Task<MixedResources> CreateAsync(AwsClient client, OidcStandIn idp)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(idp);
        var poolId = await LoadRun.CreateBrokerPoolAsync(client, idp);
        var identityId = (await client.CognitoAsync("GetId", new { IdentityPoolId = poolId }, signed: false)).GetProperty(nameof(IdentityId)).GetString()!;
        var roleArn = (await client.CognitoAsync("GetIdentityPoolRoles", new { IdentityPoolId = poolId })).GetProperty("Roles").GetProperty("authenticated").GetString()!;
        var userPool = await client.UserPoolsAsync("CreateUserPool", new { PoolName = "mixed" });
        var userPoolId = userPool.GetProperty("UserPool").GetProperty("Id").GetString()!;
        var appClient = await client.UserPoolsAsync("CreateUserPoolClient", new { UserPoolId = userPoolId, ClientName = "mixed" });
        var clientId = appClient.GetProperty("UserPoolClient").GetProperty(nameof(ClientId)).GetString()!;
        await client.UserPoolsAsync("AdminCreateUser", new { UserPoolId = userPoolId, Username, MessageAction = "SUPPRESS" });
        var token = idp.MintTokens(1, TimeSpan.FromHours(3))[0];
        return new MixedResources(poolId, identityId, idp.ProviderKey, token, userPoolId, clientId, roleArn);
    }

    /// <summary>A member's value when its name says which resource it is; <paramref name="real"/> false gives an id of nothing.</summary>
    public JsonNode? ValueFor(string member, bool real) => member switch
    {
        "IdentityPoolId" => real ? PoolId : MissingPool,
        nameof(IdentityId) or "IdentityIdToDelete" => real ? IdentityId : MissingIdentity,
        nameof(UserPoolId) => real ? UserPoolId : MissingUserPool,
        nameof(ClientId) => real ? ClientId : "0000000000000000000000000a",
        nameof(Username) => real ? Username : "nobody",
        nameof(RoleArn) => real ? RoleArn : "arn:aws:iam::000000000000:role/Missing",
        "RoleName" => real ? "Load_authenticated" : "Missing",
        "RoleSessionName" => "mixed",
        "WebIdentityToken" or "IdToken" => _token,
        "Logins" => new JsonObject { [ProviderKey] = _token },
        "IdentityPoolName" or "PoolName" or "ClientName" => "mixed",
        "MaxResults" or "MaxItems" or "Limit" => 10,
        _ => null,
    };

    /// <summary>The calls a client makes on the run's resources, each expected to succeed.</summary>
    public IReadOnlyList<MixedRequest> Scenario() =>
    [
        Cognito("GetId", new { IdentityPoolId = PoolId }, signed: false),
        Cognito("GetId", new { IdentityPoolId = PoolId, Logins = new Dictionary<string, string> { [ProviderKey] = _token } }, signed: false),
        Cognito("GetCredentialsForIdentity", new { IdentityId }, signed: false),
        Cognito("GetOpenIdToken", new { IdentityId }, signed: false),
        Cognito("DescribeIdentityPool", new { IdentityPoolId = PoolId }),
        Cognito("ListIdentities", new { IdentityPoolId = PoolId, MaxResults = 10 }),
        Cognito("ListIdentityPools", new { MaxResults = 10 }),
        Cognito("DescribeIdentity", new { IdentityId }),
        UserPools("DescribeUserPool", new { UserPoolId }),
        UserPools("ListUsers", new { UserPoolId, Limit = 10 }),
        UserPools("AdminGetUser", new { UserPoolId, Username }),
        UserPools("DescribeUserPoolClient", new { UserPoolId, ClientId }),
        Query("sts", "GetCallerIdentity", "2011-06-15", string.Empty),
        Query("iam", "GetRole", "2010-05-08", "&RoleName=Load_authenticated"),
        Query("iam", "ListRoles", "2010-05-08", string.Empty),
        Json("cloudtrail", "LookupEvents", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", new { MaxResults = 5 }),
        Admin(HttpMethod.Post, "/admin/api/simulate", JsonSerializer.SerializeToUtf8Bytes(new { IdentityPoolId = PoolId, Actions = new[] { new { Action = "s3:GetObject", Resource = "arn:aws:s3:::bucket/key" } } })),
        Admin(HttpMethod.Get, $"/admin/api/identities?identityId={Uri.EscapeDataString(IdentityId)}", []),
        Admin(HttpMethod.Get, $"/admin/api/userpools/{UserPoolId}/outbox", []),
    ];

    private static MixedRequest Cognito(string operation, object body, bool signed = true) =>
        Json("cognito-identity", operation, "AWSCognitoIdentityService." + operation, body, signed);

    private static MixedRequest UserPools(string operation, object body) =>
        Json("cognito-idp", operation, "AWSCognitoIdentityProviderService." + operation, body);

    private static MixedRequest Json(string service, string operation, string target, object body, bool signed = true) => new(
        service, operation, HttpMethod.Post, "/", JsonSerializer.SerializeToUtf8Bytes(body),
        new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.1", ["X-Amz-Target"] = target }, signed ? service : null);

    private static MixedRequest Query(string service, string action, string version, string parameters) => new(
        service, action, HttpMethod.Post, "/", Encoding.UTF8.GetBytes($"Action={action}&Version={version}{parameters}"),
        new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8" }, service);

    private static MixedRequest Admin(HttpMethod method, string path, byte[] body) => new(
        "admin", method.Method + " " + path.Split('?')[0], method, path, body,
        method == HttpMethod.Get ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Content-Type"] = "application/json" }, "execute-api");
}
