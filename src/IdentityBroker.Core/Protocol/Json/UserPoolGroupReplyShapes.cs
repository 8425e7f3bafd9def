using IdentityBroker.Identities;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Protocol.Json;

/// <summary>From a group or tag operation's result to its response shape.</summary>
internal static class UserPoolGroupReplyShapes
{
    public static GroupResponse Group(UserPoolGroup group) => new() { Group = Shape(group) };

    public static GroupListResponse Groups(Page<UserPoolGroup> page) => new() { Groups = [.. page.Items.Select(Shape)], NextToken = page.NextToken };

    public static ListTagsForResourceResponse Tags(IReadOnlyDictionary<string, string> tags) => new() { Tags = new(tags) };

    public static ListUsersInGroupResponse Users(Page<PoolUser> page) => new()
    {
        Users = [.. page.Items.Select(u => new GroupUserShape
        {
            Username = u.Username,
            // sub first, then the user's attributes, as Cognito lists them.
            Attributes = [new() { Name = "sub", Value = u.Sub }, .. u.Attributes.Select(a => new GroupUserAttributeShape { Name = a.Key, Value = a.Value })],
            UserCreateDate = IdentityIds.EpochSeconds(u.CreationDate),
            UserLastModifiedDate = IdentityIds.EpochSeconds(u.LastModifiedDate),
            Enabled = u.Enabled,
            UserStatus = u.UserStatus,
        })],
        NextToken = page.NextToken,
    };

    private static GroupShape Shape(UserPoolGroup group) => new()
    {
        GroupName = group.GroupName,
        UserPoolId = group.UserPoolId,
        Description = group.Description,
        RoleArn = group.RoleArn,
        Precedence = group.Precedence,
        LastModifiedDate = IdentityIds.EpochSeconds(group.LastModifiedDate),
        CreationDate = IdentityIds.EpochSeconds(group.CreationDate),
    };
}
