using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Federation;

/// <summary>
/// One entry of a user's <c>identities</c> attribute: a provider's user that signs in as this pool user (its own
/// federated user, or a native user it was linked to by AdminLinkProviderForUser).
/// </summary>
/// <param name="UserId">The provider's subject, or for an attribute link the value of <see cref="LinkAttribute"/>.</param>
/// <param name="LinkAttribute">
/// Null for a link by the subject (Cognito_Subject); else the pool attribute AdminLinkProviderForUser named, whose
/// mapped value identifies the provider's user (API reference, AdminLinkProviderForUser, SourceUser).
/// </param>
public sealed record FederatedIdentity(
    string UserId, string ProviderName, string ProviderType, string? Issuer, bool Primary, DateTimeOffset DateCreated,
    string? LinkAttribute = null)
{
    /// <summary>The attribute Cognito keeps them in, as a JSON array.</summary>
    public const string AttributeName = "identities";

    /// <summary>AdminLinkProviderForUser's ProviderAttributeName for the provider's own subject.</summary>
    public const string CognitoSubject = "Cognito_Subject";

    /// <summary>The user-store key this entry holds, so that one provider user signs in as at most one pool user.</summary>
    public string Key => LinkAttribute is null ? SubjectKey(ProviderName, UserId) : AttributeKey(ProviderName, LinkAttribute, UserId);

    public static string SubjectKey(string providerName, string subject) => "identity:" + providerName + ":" + subject;

    public static string AttributeKey(string providerName, string attribute, string value) =>
        "identity-attribute:" + providerName + ":" + attribute + ":" + value;

    /// <summary>The entries of the user's <c>identities</c> attribute; none when it is missing or not Cognito's shape.</summary>
    public static IReadOnlyList<FederatedIdentity> Of(PoolUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Parse(user.Attribute(AttributeName));
    }

    public static IReadOnlyList<FederatedIdentity> Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(value) is JsonArray array ? [.. array.Select(Entry).OfType<FederatedIdentity>()] : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The attribute value as Cognito's AdminGetUser shows it: primary a boolean, dateCreated epoch milliseconds.</summary>
    public static string Serialize(IEnumerable<FederatedIdentity> identities) =>
        new JsonArray([.. identities.Select(i => (JsonNode)Node(i, asClaim: false))]).ToJsonString();

    /// <summary>
    /// The ID token's <c>identities</c> claim: the developer guide's example ID token carries primary and dateCreated as
    /// strings (<c>"primary": "true"</c>, <c>"dateCreated": "1642699117273"</c>).
    /// </summary>
    public static void WriteClaim(Utf8JsonWriter writer, IEnumerable<FederatedIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(AttributeName);
        new JsonArray([.. identities.Select(i => (JsonNode)Node(i, asClaim: true))]).WriteTo(writer);
    }

    private static JsonObject Node(FederatedIdentity identity, bool asClaim)
    {
        var created = identity.DateCreated.ToUnixTimeMilliseconds();
        var node = new JsonObject
        {
            ["userId"] = identity.UserId,
            ["providerName"] = identity.ProviderName,
            ["providerType"] = identity.ProviderType,
            ["issuer"] = identity.Issuer,
            ["primary"] = asClaim ? identity.Primary ? "true" : "false" : JsonValue.Create(identity.Primary),
            ["dateCreated"] = asClaim ? created.ToString(CultureInfo.InvariantCulture) : JsonValue.Create(created),
        };
        if (!asClaim && identity.LinkAttribute is not null)
        {
            node["linkAttribute"] = identity.LinkAttribute;
        }

        return node;
    }

    private static FederatedIdentity? Entry(JsonNode? node)
    {
        if (node is not JsonObject entry
            || Text(entry["userId"]) is not { } userId
            || Text(entry["providerName"]) is not { } providerName
            || Text(entry["providerType"]) is not { } providerType)
        {
            return null;
        }

        var created = entry["dateCreated"] is JsonValue date && date.TryGetValue<long>(out var ms) ? ms : 0;
        var primary = entry["primary"] is JsonValue flag && flag.TryGetValue<bool>(out var p) && p;
        return new(userId, providerName, providerType, Text(entry["issuer"]), primary, DateTimeOffset.FromUnixTimeMilliseconds(created),
            Text(entry["linkAttribute"]));
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
