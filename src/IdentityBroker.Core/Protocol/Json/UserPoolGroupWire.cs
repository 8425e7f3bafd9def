using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Tags;
using Bind = IdentityBroker.Protocol.Json.UserPoolGroupBinding;
using Shape = IdentityBroker.Protocol.Json.UserPoolGroupReplyShapes;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// The rows of the group and tag operations in <see cref="UserPoolsOperations"/>: all signed; the group operations are
/// authorized as <c>cognito-idp:&lt;Op&gt;</c> on the pool's ARN, the tag operations on the ARN they name.
/// </summary>
public sealed class UserPoolGroupWire(GroupOperations groups, GroupMembershipOperations members, UserPoolTagOperations tags, UserPoolResources resources, UserPoolTagResources tagResources)
{
    internal IEnumerable<CognitoOperation> Operations(JsonOperationTable t)
    {
        var c = UserPoolGroupJsonContext.Default;
        var r = resources;
        yield return t.Signed("CreateGroup", c.GroupSettingsRequest, Bind.CreateGroup, groups.CreateAsync, Shape.Group, c.GroupResponse,
            (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("GetGroup", c.GroupNameRequest, Bind.GetGroup, groups.GetAsync, Shape.Group, c.GroupResponse,
            (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("UpdateGroup", c.GroupSettingsRequest, Bind.UpdateGroup, groups.UpdateAsync, Shape.Group, c.GroupResponse,
            (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("DeleteGroup", c.GroupNameRequest, Bind.DeleteGroup, groups.DeleteAsync, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("ListGroups", c.ListGroupsRequest, Bind.ListGroups, groups.ListAsync, Shape.Groups, c.GroupListResponse,
            (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("AdminAddUserToGroup", c.GroupMembershipRequest, Bind.AdminAddUserToGroup, members.AddAsync,
            (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("AdminRemoveUserFromGroup", c.GroupMembershipRequest, Bind.AdminRemoveUserFromGroup, members.RemoveAsync,
            (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("AdminListGroupsForUser", c.AdminListGroupsForUserRequest, Bind.AdminListGroupsForUser,
            members.ListGroupsForUserAsync, Shape.Groups, c.GroupListResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("ListUsersInGroup", c.ListUsersInGroupRequest, Bind.ListUsersInGroup, members.ListUsersInGroupAsync,
            Shape.Users, c.ListUsersInGroupResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("TagResource", c.TagResourceRequest, Bind.TagResource, tags.TagAsync, tagResources.TagAsync);
        yield return t.Signed("UntagResource", c.UntagResourceRequest, Bind.UntagResource, tags.UntagAsync, tagResources.UntagAsync);
        yield return t.Signed("ListTagsForResource", c.ResourceArnRequest, Bind.ListTagsForResource, tags.ListAsync, Shape.Tags,
            c.ListTagsForResourceResponse, tagResources.ListAsync);
    }
}
