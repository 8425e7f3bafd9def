using System.Text.Json.Serialization;
using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Storage;

/// <summary>
/// Source-generated serialization of the documents the stores keep as JSON. Unset optional fields are omitted
/// so that a pool read back has exactly the fields that were set (DescribeIdentityPool omits unset fields).
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IdentityPool))]
[JsonSerializable(typeof(IdentityBroker.Revocations.Revocation))]
[JsonSerializable(typeof(IamRole))]
[JsonSerializable(typeof(OidcProvider))]
[JsonSerializable(typeof(UserPool))]
[JsonSerializable(typeof(UserPoolClient))]
[JsonSerializable(typeof(UserPoolSession))]
[JsonSerializable(typeof(PoolUser))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IdentityBroker.UserPools.Groups.UserPoolGroup))]
[JsonSerializable(typeof(IdentityBroker.UserPools.HostedUi.UiCustomization))]
[JsonSerializable(typeof(IdentityBroker.UserPools.Federation.PoolIdentityProvider))]
public sealed partial class StoreJsonContext : JsonSerializerContext;
