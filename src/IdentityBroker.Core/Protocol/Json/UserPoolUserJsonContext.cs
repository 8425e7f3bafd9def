using System.Text.Json.Serialization;

namespace IdentityBroker.Protocol.Json;

/// <summary>The user operations' shapes (their own context, beside <see cref="UserPoolJsonContext"/>; same options).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 32)]
[JsonSerializable(typeof(AdminCreateUserRequest))]
[JsonSerializable(typeof(AdminUserRequest))]
[JsonSerializable(typeof(ListUsersRequest))]
[JsonSerializable(typeof(AdminUpdateUserAttributesRequest))]
[JsonSerializable(typeof(AdminDeleteUserAttributesRequest))]
[JsonSerializable(typeof(AdminSetUserPasswordRequest))]
[JsonSerializable(typeof(AddCustomAttributesRequest))]
[JsonSerializable(typeof(AdminCreateUserResponse))]
[JsonSerializable(typeof(AdminGetUserResponse))]
[JsonSerializable(typeof(ListUsersResponse))]
internal sealed partial class UserPoolUserJsonContext : JsonSerializerContext;
