using System.Text.Json.Serialization;

namespace IdentityBroker.Tokens;

[JsonSerializable(typeof(KeyMaterial))]
[JsonSerializable(typeof(JwksDocument))]
[JsonSerializable(typeof(DiscoveryDocument))]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
