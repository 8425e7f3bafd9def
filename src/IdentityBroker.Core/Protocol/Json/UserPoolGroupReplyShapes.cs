using IdentityBroker.Identities;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Groups;

namespace IdentityBroker.Protocol.Json;

/// <summary>From a group or tag operation's result to its response shape.</summary>
internal static class UserPoolGroupReplyShapes
{
    public static GroupResponse Group(UserPoolGroup group) => new() { Group = Shape(group) };

    public static GroupListResponse Groups(Page<UserPoolGroup> page) => new() { Groups = [.. page.Items.Select(Shape)], NextToken = page.NextToken };

    public static ListTagsForResourceResponse Tags(IReadOnlyDictionary<string, string> tags) => new() { Tags = new(tags) };

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
