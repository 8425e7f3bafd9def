using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Tags;

namespace IdentityBroker.Protocol.Json;

/// <summary>From a group or tag request shape that passed model validation to its command.</summary>
internal static class UserPoolGroupBinding
{
    /// <summary>ListGroups' Limit is optional (0–60); left out or 0, the page is Cognito's largest, 60.</summary>
    public const int DefaultLimit = 60;

    public static CreateGroup CreateGroup(GroupSettingsRequest r) => new(r.UserPoolId!, r.GroupName!, r.Description, r.RoleArn, r.Precedence);

    public static GetGroup GetGroup(GroupNameRequest r) => new(r.UserPoolId!, r.GroupName!);

    public static UpdateGroup UpdateGroup(GroupSettingsRequest r) => new(r.UserPoolId!, r.GroupName!, r.Description, r.RoleArn, r.Precedence);

    public static DeleteGroup DeleteGroup(GroupNameRequest r) => new(r.UserPoolId!, r.GroupName!);

    public static ListGroups ListGroups(ListGroupsRequest r) => new(r.UserPoolId!, Limit(r.Limit), r.NextToken);

    public static TagResource TagResource(TagResourceRequest r) => new(r.ResourceArn!, r.Tags!);

    public static UntagResource UntagResource(UntagResourceRequest r) => new(r.ResourceArn!, r.TagKeys!);

    public static ListTagsForResource ListTagsForResource(ResourceArnRequest r) => new(r.ResourceArn!);

    public static AdminAddUserToGroup AdminAddUserToGroup(GroupMembershipRequest r) => new(r.UserPoolId!, r.Username!, r.GroupName!);

    public static AdminRemoveUserFromGroup AdminRemoveUserFromGroup(GroupMembershipRequest r) => new(r.UserPoolId!, r.Username!, r.GroupName!);

    public static AdminListGroupsForUser AdminListGroupsForUser(AdminListGroupsForUserRequest r) =>
        new(r.UserPoolId!, r.Username!, Limit(r.Limit), r.NextToken);

    public static ListUsersInGroup ListUsersInGroup(ListUsersInGroupRequest r) => new(r.UserPoolId!, r.GroupName!, Limit(r.Limit), r.NextToken);

    public static int Limit(int? limit) => limit is > 0 ? limit.Value : DefaultLimit;
}
