using FluentValidation;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

// Request and response shapes of the group and tag operations of the Cognito User Pools JSON 1.1 API (cognito-idp
// 2016-04-18). Every member is nullable so that "missing" is told apart from a value.

/// <summary>CreateGroupRequest and UpdateGroupRequest: the same members (only their meaning of "left out" differs).</summary>
public sealed class GroupSettingsRequest : IModelRequest<GroupSettingsRequest>
{
    public static IValidator<GroupSettingsRequest> Validator { get; } = new GroupSettingsRequestValidator();

    public string? GroupName { get; set; }

    public string? UserPoolId { get; set; }

    public string? Description { get; set; }

    public string? RoleArn { get; set; }

    public int? Precedence { get; set; }
}

/// <summary>GetGroupRequest and DeleteGroupRequest.</summary>
public sealed class GroupNameRequest : IModelRequest<GroupNameRequest>
{
    public static IValidator<GroupNameRequest> Validator { get; } = new GroupNameRequestValidator();

    public string? GroupName { get; set; }

    public string? UserPoolId { get; set; }
}

public sealed class ListGroupsRequest : IModelRequest<ListGroupsRequest>
{
    public static IValidator<ListGroupsRequest> Validator { get; } = new ListGroupsRequestValidator();

    public string? UserPoolId { get; set; }

    public int? Limit { get; set; }

    public string? NextToken { get; set; }
}

/// <summary>GroupType.</summary>
public sealed class GroupShape
{
    public string? GroupName { get; set; }

    public string? UserPoolId { get; set; }

    public string? Description { get; set; }

    public string? RoleArn { get; set; }

    public int? Precedence { get; set; }

    public double? LastModifiedDate { get; set; }

    public double? CreationDate { get; set; }
}

/// <summary>CreateGroup's, GetGroup's and UpdateGroup's output.</summary>
public sealed class GroupResponse
{
    public GroupShape? Group { get; set; }
}

/// <summary>ListGroups' and AdminListGroupsForUser's output.</summary>
public sealed class GroupListResponse
{
    public List<GroupShape>? Groups { get; set; }

    public string? NextToken { get; set; }
}

public sealed class TagResourceRequest : IModelRequest<TagResourceRequest>
{
    public static IValidator<TagResourceRequest> Validator { get; } = new TagResourceRequestValidator();

    public string? ResourceArn { get; set; }

    public Dictionary<string, string>? Tags { get; set; }
}

public sealed class UntagResourceRequest : IModelRequest<UntagResourceRequest>
{
    public static IValidator<UntagResourceRequest> Validator { get; } = new UntagResourceRequestValidator();

    public string? ResourceArn { get; set; }

    public List<string>? TagKeys { get; set; }
}

/// <summary>ListTagsForResource's input.</summary>
public sealed class ResourceArnRequest : IModelRequest<ResourceArnRequest>
{
    public static IValidator<ResourceArnRequest> Validator { get; } = new ResourceArnRequestValidator();

    public string? ResourceArn { get; set; }
}

public sealed class ListTagsForResourceResponse
{
    public Dictionary<string, string>? Tags { get; set; }
}

/// <summary>AdminAddUserToGroupRequest and AdminRemoveUserFromGroupRequest.</summary>
public sealed class GroupMembershipRequest : IModelRequest<GroupMembershipRequest>
{
    public static IValidator<GroupMembershipRequest> Validator { get; } = new GroupMembershipRequestValidator();

    public string? UserPoolId { get; set; }

    public string? Username { get; set; }

    public string? GroupName { get; set; }
}

public sealed class AdminListGroupsForUserRequest : IModelRequest<AdminListGroupsForUserRequest>
{
    public static IValidator<AdminListGroupsForUserRequest> Validator { get; } = new AdminListGroupsForUserRequestValidator();

    public string? Username { get; set; }

    public string? UserPoolId { get; set; }

    public int? Limit { get; set; }

    public string? NextToken { get; set; }
}

public sealed class ListUsersInGroupRequest : IModelRequest<ListUsersInGroupRequest>
{
    public static IValidator<ListUsersInGroupRequest> Validator { get; } = new ListUsersInGroupRequestValidator();

    public string? UserPoolId { get; set; }

    public string? GroupName { get; set; }

    public int? Limit { get; set; }

    public string? NextToken { get; set; }
}

/// <summary>AttributeType as ListUsersInGroup returns it.</summary>
public sealed class GroupUserAttributeShape
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}

/// <summary>UserType as ListUsersInGroup returns it.</summary>
public sealed class GroupUserShape
{
    public string? Username { get; set; }

    public List<GroupUserAttributeShape>? Attributes { get; set; }

    public double? UserCreateDate { get; set; }

    public double? UserLastModifiedDate { get; set; }

    public bool? Enabled { get; set; }

    public string? UserStatus { get; set; }
}

public sealed class ListUsersInGroupResponse
{
    public List<GroupUserShape>? Users { get; set; }

    public string? NextToken { get; set; }
}
