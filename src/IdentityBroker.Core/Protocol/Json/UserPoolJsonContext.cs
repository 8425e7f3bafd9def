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
internal sealed partial class UserPoolJsonContext : JsonSerializerContext;
