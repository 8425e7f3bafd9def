using System.Text.Json.Serialization;

namespace IdentityBroker.Protocol.Json;

/// <summary>The MFA shapes, in a context of their own with <see cref="UserPoolJsonContext"/>'s options.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 32)]
[JsonSerializable(typeof(SetUserPoolMfaConfigRequest))]
[JsonSerializable(typeof(UserPoolIdRequest))]
[JsonSerializable(typeof(UserPoolMfaConfigResponse))]
[JsonSerializable(typeof(AssociateSoftwareTokenRequest))]
[JsonSerializable(typeof(AssociateSoftwareTokenResponse))]
[JsonSerializable(typeof(VerifySoftwareTokenRequest))]
[JsonSerializable(typeof(VerifySoftwareTokenResponse))]
[JsonSerializable(typeof(SetUserMfaPreferenceRequest))]
[JsonSerializable(typeof(AdminSetUserMfaPreferenceRequest))]
internal sealed partial class UserPoolMfaJsonContext : JsonSerializerContext;
