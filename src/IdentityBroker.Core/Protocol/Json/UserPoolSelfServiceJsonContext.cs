using System.Text.Json.Serialization;

namespace IdentityBroker.Protocol.Json;

/// <summary>The self-service operations' shapes (their own context, same options as <see cref="UserPoolJsonContext"/>).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 32)]
[JsonSerializable(typeof(SignUpRequest))]
[JsonSerializable(typeof(ConfirmSignUpRequest))]
[JsonSerializable(typeof(ClientUsernameRequest))]
[JsonSerializable(typeof(ConfirmForgotPasswordRequest))]
[JsonSerializable(typeof(UpdateUserAttributesRequest))]
[JsonSerializable(typeof(DeleteUserAttributesRequest))]
[JsonSerializable(typeof(UserAttributeCodeRequest))]
[JsonSerializable(typeof(ChangePasswordRequest))]
[JsonSerializable(typeof(RiskConfigurationRequest))]
[JsonSerializable(typeof(SignUpResponse))]
[JsonSerializable(typeof(CodeDeliveryResponse))]
[JsonSerializable(typeof(UpdateUserAttributesResponse))]
[JsonSerializable(typeof(GetUserResponse))]
[JsonSerializable(typeof(RiskConfigurationResponse))]
internal sealed partial class UserPoolSelfServiceJsonContext : JsonSerializerContext;
