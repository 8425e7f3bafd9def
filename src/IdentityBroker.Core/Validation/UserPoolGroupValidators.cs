using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

// Group and tag inputs: CreateGroupRequest and UpdateGroupRequest (one shape), the group-name inputs (GetGroup,
// DeleteGroup), ListGroupsRequest, TagResourceRequest, UntagResourceRequest, ListTagsForResourceRequest.

internal sealed class GroupSettingsRequestValidator : AbstractValidator<GroupSettingsRequest>
{
    public GroupSettingsRequestValidator()
    {
        RuleFor(r => r.GroupName).ModelString("groupName", UserPoolGroupShapes.GroupNameType, required: true);
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Description).ModelString("description", UserPoolGroupShapes.DescriptionType);
        RuleFor(r => r.RoleArn).ModelString("roleArn", UserPoolGroupShapes.ArnType);
        RuleFor(r => r.Precedence).ModelInteger("precedence", UserPoolGroupShapes.PrecedenceType);
    }
}

internal sealed class GroupNameRequestValidator : AbstractValidator<GroupNameRequest>
{
    public GroupNameRequestValidator()
    {
        RuleFor(r => r.GroupName).ModelString("groupName", UserPoolGroupShapes.GroupNameType, required: true);
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
    }
}

internal sealed class ListGroupsRequestValidator : AbstractValidator<ListGroupsRequest>
{
    public ListGroupsRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Limit).ModelInteger("limit", UserPoolGroupShapes.QueryLimitType);
        RuleFor(r => r.NextToken).ModelString("nextToken", UserPoolShapes.PaginationKey);
    }
}

internal sealed class TagResourceRequestValidator : AbstractValidator<TagResourceRequest>
{
    public TagResourceRequestValidator()
    {
        RuleFor(r => r.ResourceArn).ModelString("resourceArn", UserPoolGroupShapes.ArnType, required: true);
        RuleFor(r => r.Tags).ModelStringMap("tags", UserPoolGroupShapes.Unbounded, UserPoolGroupShapes.TagKeysType,
            UserPoolGroupShapes.TagValueType, required: true);
    }
}

internal sealed class UntagResourceRequestValidator : AbstractValidator<UntagResourceRequest>
{
    public UntagResourceRequestValidator()
    {
        RuleFor(r => r.ResourceArn).ModelString("resourceArn", UserPoolGroupShapes.ArnType, required: true);
        RuleFor(r => r.TagKeys).ModelStringList("tagKeys", UserPoolGroupShapes.Unbounded, UserPoolGroupShapes.TagKeysType, required: true);
    }
}

internal sealed class ResourceArnRequestValidator : AbstractValidator<ResourceArnRequest>
{
    public ResourceArnRequestValidator()
    {
        RuleFor(r => r.ResourceArn).ModelString("resourceArn", UserPoolGroupShapes.ArnType, required: true);
    }
}

internal sealed class GroupMembershipRequestValidator : AbstractValidator<GroupMembershipRequest>
{
    public GroupMembershipRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Username).ModelString("username", UserPoolGroupShapes.UsernameType, required: true);
        RuleFor(r => r.GroupName).ModelString("groupName", UserPoolGroupShapes.GroupNameType, required: true);
    }
}

internal sealed class AdminListGroupsForUserRequestValidator : AbstractValidator<AdminListGroupsForUserRequest>
{
    public AdminListGroupsForUserRequestValidator()
    {
        RuleFor(r => r.Username).ModelString("username", UserPoolGroupShapes.UsernameType, required: true);
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Limit).ModelInteger("limit", UserPoolGroupShapes.QueryLimitType);
        RuleFor(r => r.NextToken).ModelString("nextToken", UserPoolShapes.PaginationKey);
    }
}

internal sealed class ListUsersInGroupRequestValidator : AbstractValidator<ListUsersInGroupRequest>
{
    public ListUsersInGroupRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.GroupName).ModelString("groupName", UserPoolGroupShapes.GroupNameType, required: true);
        RuleFor(r => r.Limit).ModelInteger("limit", UserPoolGroupShapes.QueryLimitType);
        RuleFor(r => r.NextToken).ModelString("nextToken", UserPoolShapes.PaginationKey);
    }
}
