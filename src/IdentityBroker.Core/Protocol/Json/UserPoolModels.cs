using FluentValidation;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

// Request and response shapes of the Cognito User Pools JSON 1.1 API (service model cognito-idp 2016-04-18), for the
// operations served so far. Every member is nullable so that "missing" is told apart from a value.

/// <summary>The settings CreateUserPool and UpdateUserPool both carry.</summary>
internal interface IUserPoolSettingsShape
{
    UserPoolPolicyShape? Policies { get; }

    string? DeletionProtection { get; }

    List<string>? AutoVerifiedAttributes { get; }

    string? MfaConfiguration { get; }

    Dictionary<string, string>? UserPoolTags { get; }
}

public sealed class CreateUserPoolRequest : IModelRequest<CreateUserPoolRequest>, IUserPoolSettingsShape
{
    public static IValidator<CreateUserPoolRequest> Validator { get; } = new CreateUserPoolRequestValidator();

    public string? PoolName { get; set; }

    public UserPoolPolicyShape? Policies { get; set; }

    public string? DeletionProtection { get; set; }

    public List<string>? AutoVerifiedAttributes { get; set; }

    public List<string>? AliasAttributes { get; set; }

    public List<string>? UsernameAttributes { get; set; }

    public string? MfaConfiguration { get; set; }

    public Dictionary<string, string>? UserPoolTags { get; set; }
}

public sealed class UpdateUserPoolRequest : IModelRequest<UpdateUserPoolRequest>, IUserPoolSettingsShape
{
    public static IValidator<UpdateUserPoolRequest> Validator { get; } = new UpdateUserPoolRequestValidator();

    public string? UserPoolId { get; set; }

    public string? PoolName { get; set; }

    public UserPoolPolicyShape? Policies { get; set; }

    public string? DeletionProtection { get; set; }

    public List<string>? AutoVerifiedAttributes { get; set; }

    public string? MfaConfiguration { get; set; }

    public Dictionary<string, string>? UserPoolTags { get; set; }
}

/// <summary>DescribeUserPool's and DeleteUserPool's input.</summary>
public sealed class UserPoolIdRequest : IModelRequest<UserPoolIdRequest>
{
    public static IValidator<UserPoolIdRequest> Validator { get; } = new UserPoolIdRequestValidator();

    public string? UserPoolId { get; set; }
}

public sealed class ListUserPoolsRequest : IModelRequest<ListUserPoolsRequest>
{
    public static IValidator<ListUserPoolsRequest> Validator { get; } = new ListUserPoolsRequestValidator();

    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}

public sealed class UserPoolPolicyShape
{
    public PasswordPolicyShape? PasswordPolicy { get; set; }
}

public sealed class PasswordPolicyShape
{
    public int? MinimumLength { get; set; }

    public bool? RequireUppercase { get; set; }

    public bool? RequireLowercase { get; set; }

    public bool? RequireNumbers { get; set; }

    public bool? RequireSymbols { get; set; }

    public int? PasswordHistorySize { get; set; }

    public int? TemporaryPasswordValidityDays { get; set; }
}

/// <summary>UserPoolType, as CreateUserPool and DescribeUserPool return it.</summary>
public sealed class UserPoolShape
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Arn { get; set; }

    public UserPoolPolicyShape? Policies { get; set; }

    public string? DeletionProtection { get; set; }

    public double? LastModifiedDate { get; set; }

    public double? CreationDate { get; set; }

    public List<string>? AutoVerifiedAttributes { get; set; }

    public List<string>? AliasAttributes { get; set; }

    public List<string>? UsernameAttributes { get; set; }

    public string? MfaConfiguration { get; set; }

    public int? EstimatedNumberOfUsers { get; set; }

    public Dictionary<string, string>? UserPoolTags { get; set; }
}

public sealed class UserPoolResponse
{
    public UserPoolShape? UserPool { get; set; }
}

public sealed class UserPoolDescriptionShape
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Status { get; set; }

    public double? LastModifiedDate { get; set; }

    public double? CreationDate { get; set; }
}

public sealed class ListUserPoolsResponse
{
    public List<UserPoolDescriptionShape>? UserPools { get; set; }

    public string? NextToken { get; set; }
}
