using System.Text.Json.Serialization;

namespace IdentityBroker.Protocol.Json;

/// <summary>The group and tag shapes, in a context of their own with <see cref="UserPoolJsonContext"/>'s options.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 32)]
[JsonSerializable(typeof(GroupSettingsRequest))]
[JsonSerializable(typeof(GroupNameRequest))]
[JsonSerializable(typeof(ListGroupsRequest))]
[JsonSerializable(typeof(GroupResponse))]
[JsonSerializable(typeof(GroupListResponse))]
[JsonSerializable(typeof(TagResourceRequest))]
[JsonSerializable(typeof(UntagResourceRequest))]
[JsonSerializable(typeof(ResourceArnRequest))]
[JsonSerializable(typeof(ListTagsForResourceResponse))]
[JsonSerializable(typeof(GroupMembershipRequest))]
[JsonSerializable(typeof(AdminListGroupsForUserRequest))]
[JsonSerializable(typeof(ListUsersInGroupRequest))]
[JsonSerializable(typeof(ListUsersInGroupResponse))]
internal sealed partial class UserPoolGroupJsonContext : JsonSerializerContext;
