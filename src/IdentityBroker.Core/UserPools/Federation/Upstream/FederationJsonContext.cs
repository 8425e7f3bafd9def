using System.Text.Json.Serialization;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>The sealed federation state and the provider replies the flows read.</summary>
[JsonSerializable(typeof(FederationState))]
[JsonSerializable(typeof(AppleSecretClaims))]
internal sealed partial class FederationJsonContext : JsonSerializerContext;
