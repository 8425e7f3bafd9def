using System.Text.Json.Serialization;

namespace IdentityBroker.Protocol.Json;

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 32)]
[JsonSerializable(typeof(CreateUserPoolRequest))]
[JsonSerializable(typeof(UpdateUserPoolRequest))]
[JsonSerializable(typeof(UserPoolIdRequest))]
[JsonSerializable(typeof(ListUserPoolsRequest))]
[JsonSerializable(typeof(UserPoolResponse))]
[JsonSerializable(typeof(ListUserPoolsResponse))]
[JsonSerializable(typeof(CreateUserPoolClientRequest))]
[JsonSerializable(typeof(UpdateUserPoolClientRequest))]
[JsonSerializable(typeof(UserPoolClientIdRequest))]
[JsonSerializable(typeof(ListUserPoolClientsRequest))]
[JsonSerializable(typeof(UserPoolClientResponse))]
[JsonSerializable(typeof(ListUserPoolClientsResponse))]
[JsonSerializable(typeof(RevokeTokenRequest))]
[JsonSerializable(typeof(AccessTokenRequest))]
internal sealed partial class UserPoolJsonContext : JsonSerializerContext;
