using System.Text.Json.Serialization;

namespace IdentityBroker.Protocol.Json;

/// <summary>The sign-in operations' shapes (their own context, beside <see cref="UserPoolJsonContext"/>; same options).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 32)]
[JsonSerializable(typeof(InitiateAuthRequest))]
[JsonSerializable(typeof(AdminInitiateAuthRequest))]
[JsonSerializable(typeof(RespondToAuthChallengeRequest))]
[JsonSerializable(typeof(AdminRespondToAuthChallengeRequest))]
[JsonSerializable(typeof(GetTokensFromRefreshTokenRequest))]
[JsonSerializable(typeof(AdminUserGlobalSignOutRequest))]
[JsonSerializable(typeof(SignInResponse))]
[JsonSerializable(typeof(GetTokensFromRefreshTokenResponse))]
internal sealed partial class UserPoolSignInJsonContext : JsonSerializerContext;
