using System.Text.Json.Serialization;

namespace IdentityBroker.Protocol.Json;

/// <summary>The identity-provider and provider-link shapes, in a context of their own with <see cref="UserPoolJsonContext"/>'s options.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 32)]
[JsonSerializable(typeof(CreateIdentityProviderRequest))]
[JsonSerializable(typeof(UpdateIdentityProviderRequest))]
[JsonSerializable(typeof(ProviderNameRequest))]
[JsonSerializable(typeof(ListIdentityProvidersRequest))]
[JsonSerializable(typeof(GetIdentityProviderByIdentifierRequest))]
[JsonSerializable(typeof(IdentityProviderResponse))]
[JsonSerializable(typeof(ListIdentityProvidersResponse))]
[JsonSerializable(typeof(AdminLinkProviderForUserRequest))]
[JsonSerializable(typeof(AdminDisableProviderForUserRequest))]
[JsonSerializable(typeof(GetSigningCertificateResponse))]
internal sealed partial class UserPoolFederationJsonContext : JsonSerializerContext;
