using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityBroker.Protocol.Json;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.ResourceServers;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Configuration;

/// <summary>
/// User pools as the document writes them: the settings are DescribeUserPool's and DescribeUserPoolClient's answers (the
/// broker's own reply shapes) cut down to what CreateUserPool and CreateUserPoolClient take, so that what is exported is
/// exactly what apply sends. Ids the broker generates for its own use, dates, users and secrets are left out.
/// </summary>
public static class UserPoolExport
{
    /// <summary>CreateUserPool's members besides PoolName (the service model), in DescribeUserPool's names; Schema is handled apart.</summary>
    public static readonly IReadOnlyList<string> PoolSettings =
    [
        "AdminCreateUserConfig", "AliasAttributes", "AutoVerifiedAttributes", "DeletionProtection", "EmailVerificationMessage",
        "EmailVerificationSubject", "LambdaConfig", "MfaConfiguration", "Policies", "SmsAuthenticationMessage",
        "SmsVerificationMessage", "UserPoolTags", "UsernameAttributes", "UsernameConfiguration", "VerificationMessageTemplate",
    ];

    /// <summary>Settings UpdateUserPool cannot change (Cognito: set at creation; AddCustomAttributes only adds).</summary>
    public static readonly IReadOnlyList<string> FixedPoolSettings = ["AliasAttributes", "Schema", "UsernameAttributes", "UsernameConfiguration"];

    /// <summary>DescribeUserPoolClient's members that are not a client's settings: its keys, the secret, the dates, the name (a member of its own).</summary>
    private static readonly HashSet<string> ClientNotSettings =
        new(["UserPoolId", "ClientId", "ClientSecret", "ClientName", "CreationDate", "LastModifiedDate"], StringComparer.Ordinal);

    public static UserPoolDocument Pool(UserPool pool, IEnumerable<UserPoolClient> clients, IEnumerable<UserPoolGroup> groups, IEnumerable<ResourceServer> servers)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new UserPoolDocument
        {
            Id = pool.Id,
            PoolName = pool.Name,
            Settings = PoolSettingsOf(pool),
            Clients = Nullable([.. clients.OrderBy(c => c.ClientId, StringComparer.Ordinal).Select(Client)]),
            Groups = Nullable([.. groups.OrderBy(g => g.GroupName, StringComparer.Ordinal).Select(Group)]),
            ResourceServers = Nullable([.. servers.OrderBy(r => r.Identifier, StringComparer.Ordinal).Select(Server)]),
        };
    }

    public static UserPoolClientDocument Client(UserPoolClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var shape = Node(JsonSerializer.SerializeToNode(UserPoolReplyShapes.Client(client), UserPoolJsonContext.Default.UserPoolClientResponse)!["UserPoolClient"]);
        var settings = new JsonObject();
        foreach (var (name, value) in shape)
        {
            if (!ClientNotSettings.Contains(name) && value is not null)
            {
                settings[name] = value.DeepClone();
            }
        }

        return new UserPoolClientDocument
        {
            ClientId = client.ClientId,
            ClientName = client.Settings.ClientName,
            GenerateSecret = client.ClientSecret is not null,
            Settings = Canonical(settings),
        };
    }

    public static UserPoolGroupDocument Group(UserPoolGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return new UserPoolGroupDocument { GroupName = group.GroupName, Description = group.Description, RoleArn = group.RoleArn, Precedence = group.Precedence };
    }

    public static ResourceServerDocument Server(ResourceServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new ResourceServerDocument
        {
            Identifier = server.Identifier,
            Name = server.Name,
            Scopes = Nullable([.. server.Scopes.Select(s => new ResourceServerScopeDocument { ScopeName = s.ScopeName, ScopeDescription = s.ScopeDescription })]),
        };
    }

    /// <summary>Every object's members in ordinal order and no null members, recursively: one state, one text.</summary>
    public static JsonObject? Canonical(JsonObject? settings)
    {
        if (settings is null)
        {
            return null;
        }

        var sorted = (JsonObject)CanonicalNode(settings)!;
        return sorted.Count > 0 ? sorted : null;
    }

    private static JsonNode? CanonicalNode(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, CanonicalNode(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(CanonicalNode)]),
        null => null,
        _ => node.DeepClone(),
    };

    private static JsonObject? PoolSettingsOf(UserPool pool)
    {
        var shape = Node(JsonSerializer.SerializeToNode(UserPoolReplyShapes.Pool(pool), UserPoolJsonContext.Default.UserPoolResponse)!["UserPool"]);
        var settings = new JsonObject();
        foreach (var name in PoolSettings)
        {
            if (shape[name] is { } value)
            {
                settings[name] = value.DeepClone();
            }
        }

        // Only the attributes CreateUserPool's Schema configured (DescribeUserPool lists every standard one), with custom
        // attributes named as CreateUserPool takes them (without "custom:").
        var configured = (pool.Schema ?? []).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var schema = new JsonArray();
        foreach (var attribute in shape["SchemaAttributes"]?.AsArray() ?? [])
        {
            if (attribute?["Name"]?.GetValue<string>() is { } name && configured.Contains(name))
            {
                var given = attribute.DeepClone().AsObject();
                given["Name"] = StandardAttributes.IsCustom(name) ? name[StandardAttributes.CustomPrefix.Length..] : name;
                schema.Add(given);
            }
        }

        if (schema.Count > 0)
        {
            settings["Schema"] = schema;
        }

        return Canonical(settings);
    }

    private static JsonObject Node(JsonNode? node) => node as JsonObject ?? throw new InvalidOperationException("A reply shape is not a JSON object.");

    private static List<T>? Nullable<T>(List<T> items) => items.Count > 0 ? items : null;
}
