using System.Text.Json.Serialization;

namespace IdentityBroker.Protocol.Json;

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 32)]
[JsonSerializable(typeof(CreateIdentityPoolRequest))]
[JsonSerializable(typeof(IdentityPoolShape))]
[JsonSerializable(typeof(IdentityPoolIdRequest))]
[JsonSerializable(typeof(ListIdentityPoolsRequest))]
[JsonSerializable(typeof(ListIdentityPoolsResponse))]
[JsonSerializable(typeof(GetIdRequest))]
[JsonSerializable(typeof(GetIdResponse))]
[JsonSerializable(typeof(GetOpenIdTokenRequest))]
[JsonSerializable(typeof(GetOpenIdTokenResponse))]
[JsonSerializable(typeof(GetCredentialsForIdentityRequest))]
[JsonSerializable(typeof(GetCredentialsForIdentityResponse))]
[JsonSerializable(typeof(IdentityIdRequest))]
[JsonSerializable(typeof(IdentityDescription))]
[JsonSerializable(typeof(ListIdentitiesRequest))]
[JsonSerializable(typeof(ListIdentitiesResponse))]
[JsonSerializable(typeof(DeleteIdentitiesRequest))]
[JsonSerializable(typeof(DeleteIdentitiesResponse))]
[JsonSerializable(typeof(SetIdentityPoolRolesRequest))]
[JsonSerializable(typeof(GetIdentityPoolRolesResponse))]
[JsonSerializable(typeof(GetOpenIdTokenForDeveloperIdentityRequest))]
[JsonSerializable(typeof(GetOpenIdTokenForDeveloperIdentityResponse))]
[JsonSerializable(typeof(LookupDeveloperIdentityRequest))]
[JsonSerializable(typeof(LookupDeveloperIdentityResponse))]
[JsonSerializable(typeof(MergeDeveloperIdentitiesRequest))]
[JsonSerializable(typeof(MergeDeveloperIdentitiesResponse))]
[JsonSerializable(typeof(UnlinkDeveloperIdentityRequest))]
[JsonSerializable(typeof(UnlinkIdentityRequest))]
[JsonSerializable(typeof(SetPrincipalTagAttributeMapRequest))]
[JsonSerializable(typeof(GetPrincipalTagAttributeMapRequest))]
[JsonSerializable(typeof(PrincipalTagAttributeMapResponse))]
[JsonSerializable(typeof(JsonErrorBody))]
internal sealed partial class CognitoJsonContext : JsonSerializerContext;

internal sealed record JsonErrorBody(
    [property: JsonPropertyName("__type")] string Type,
    [property: JsonPropertyName("message")] string Message);
