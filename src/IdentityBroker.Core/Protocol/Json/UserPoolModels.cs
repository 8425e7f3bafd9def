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

    PoolMessageShapes Messages { get; }

    LambdaConfigShape? LambdaConfig { get; }
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

    public List<SchemaAttributeShape>? Schema { get; set; }

    public UsernameConfigurationShape? UsernameConfiguration { get; set; }

    public LambdaConfigShape? LambdaConfig { get; set; }

    public string? SmsVerificationMessage { get; set; }

    public string? EmailVerificationMessage { get; set; }

    public string? EmailVerificationSubject { get; set; }

    public VerificationMessageTemplateShape? VerificationMessageTemplate { get; set; }

    public string? SmsAuthenticationMessage { get; set; }

    public AdminCreateUserConfigShape? AdminCreateUserConfig { get; set; }

    PoolMessageShapes IUserPoolSettingsShape.Messages => new(SmsVerificationMessage, EmailVerificationMessage, EmailVerificationSubject,
        VerificationMessageTemplate, SmsAuthenticationMessage, AdminCreateUserConfig);
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

    public LambdaConfigShape? LambdaConfig { get; set; }

    public string? SmsVerificationMessage { get; set; }

    public string? EmailVerificationMessage { get; set; }

    public string? EmailVerificationSubject { get; set; }

    public VerificationMessageTemplateShape? VerificationMessageTemplate { get; set; }

    public string? SmsAuthenticationMessage { get; set; }

    public AdminCreateUserConfigShape? AdminCreateUserConfig { get; set; }

    PoolMessageShapes IUserPoolSettingsShape.Messages => new(SmsVerificationMessage, EmailVerificationMessage, EmailVerificationSubject,
        VerificationMessageTemplate, SmsAuthenticationMessage, AdminCreateUserConfig);
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

    /// <summary>The pool's domain prefix (DescribeUserPool only).</summary>
    public string? Domain { get; set; }

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

    public List<SchemaAttributeShape>? SchemaAttributes { get; set; }

    public UsernameConfigurationShape? UsernameConfiguration { get; set; }

    public LambdaConfigShape? LambdaConfig { get; set; }

    public string? SmsVerificationMessage { get; set; }

    public string? EmailVerificationMessage { get; set; }

    public string? EmailVerificationSubject { get; set; }

    public VerificationMessageTemplateShape? VerificationMessageTemplate { get; set; }

    public string? SmsAuthenticationMessage { get; set; }

    public AdminCreateUserConfigShape? AdminCreateUserConfig { get; set; }
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

/// <summary>The app-client settings CreateUserPoolClient and UpdateUserPoolClient both carry.</summary>
internal interface IUserPoolClientSettingsShape
{
    string? UserPoolId { get; }

    string? ClientName { get; }

    int? RefreshTokenValidity { get; }

    int? AccessTokenValidity { get; }

    int? IdTokenValidity { get; }

    TokenValidityUnitsShape? TokenValidityUnits { get; }

    List<string>? ExplicitAuthFlows { get; }

    List<string>? SupportedIdentityProviders { get; }

    List<string>? CallbackURLs { get; }

    List<string>? LogoutURLs { get; }

    List<string>? AllowedOAuthFlows { get; }

    List<string>? AllowedOAuthScopes { get; }

    bool? AllowedOAuthFlowsUserPoolClient { get; }

    string? PreventUserExistenceErrors { get; }

    bool? EnableTokenRevocation { get; }

    RefreshTokenRotationShape? RefreshTokenRotation { get; }

    int? AuthSessionValidity { get; }
}

public sealed class CreateUserPoolClientRequest : IModelRequest<CreateUserPoolClientRequest>, IUserPoolClientSettingsShape
{
    public static IValidator<CreateUserPoolClientRequest> Validator { get; } = new CreateUserPoolClientRequestValidator();

    public string? UserPoolId { get; set; }

    public string? ClientName { get; set; }

    public bool? GenerateSecret { get; set; }

    public int? RefreshTokenValidity { get; set; }

    public int? AccessTokenValidity { get; set; }

    public int? IdTokenValidity { get; set; }

    public TokenValidityUnitsShape? TokenValidityUnits { get; set; }

    public List<string>? ExplicitAuthFlows { get; set; }

    public List<string>? SupportedIdentityProviders { get; set; }

    public List<string>? CallbackURLs { get; set; }

    public List<string>? LogoutURLs { get; set; }

    public List<string>? AllowedOAuthFlows { get; set; }

    public List<string>? AllowedOAuthScopes { get; set; }

    public bool? AllowedOAuthFlowsUserPoolClient { get; set; }

    public string? PreventUserExistenceErrors { get; set; }

    public bool? EnableTokenRevocation { get; set; }

    public RefreshTokenRotationShape? RefreshTokenRotation { get; set; }

    public int? AuthSessionValidity { get; set; }
}

public sealed class UpdateUserPoolClientRequest : IModelRequest<UpdateUserPoolClientRequest>, IUserPoolClientSettingsShape
{
    public static IValidator<UpdateUserPoolClientRequest> Validator { get; } = new UpdateUserPoolClientRequestValidator();

    public string? UserPoolId { get; set; }

    public string? ClientId { get; set; }

    public string? ClientName { get; set; }

    public int? RefreshTokenValidity { get; set; }

    public int? AccessTokenValidity { get; set; }

    public int? IdTokenValidity { get; set; }

    public TokenValidityUnitsShape? TokenValidityUnits { get; set; }

    public List<string>? ExplicitAuthFlows { get; set; }

    public List<string>? SupportedIdentityProviders { get; set; }

    public List<string>? CallbackURLs { get; set; }

    public List<string>? LogoutURLs { get; set; }

    public List<string>? AllowedOAuthFlows { get; set; }

    public List<string>? AllowedOAuthScopes { get; set; }

    public bool? AllowedOAuthFlowsUserPoolClient { get; set; }

    public string? PreventUserExistenceErrors { get; set; }

    public bool? EnableTokenRevocation { get; set; }

    public RefreshTokenRotationShape? RefreshTokenRotation { get; set; }

    public int? AuthSessionValidity { get; set; }
}

/// <summary>DescribeUserPoolClient's and DeleteUserPoolClient's input.</summary>
public sealed class UserPoolClientIdRequest : IModelRequest<UserPoolClientIdRequest>
{
    public static IValidator<UserPoolClientIdRequest> Validator { get; } = new UserPoolClientIdRequestValidator();

    public string? UserPoolId { get; set; }

    public string? ClientId { get; set; }
}

public sealed class ListUserPoolClientsRequest : IModelRequest<ListUserPoolClientsRequest>
{
    public static IValidator<ListUserPoolClientsRequest> Validator { get; } = new ListUserPoolClientsRequestValidator();

    public string? UserPoolId { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }
}

/// <summary>RefreshTokenRotationType: Feature (ENABLED or DISABLED, required) and RetryGracePeriodSeconds (0 to 60).</summary>
public sealed class RefreshTokenRotationShape
{
    public string? Feature { get; set; }

    public int? RetryGracePeriodSeconds { get; set; }
}

public sealed class TokenValidityUnitsShape
{
    public string? AccessToken { get; set; }

    public string? IdToken { get; set; }

    public string? RefreshToken { get; set; }
}

/// <summary>UserPoolClientType, as Create/Describe/UpdateUserPoolClient return it.</summary>
public sealed class UserPoolClientShape
{
    public string? UserPoolId { get; set; }

    public string? ClientName { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public double? LastModifiedDate { get; set; }

    public double? CreationDate { get; set; }

    public int? RefreshTokenValidity { get; set; }

    public int? AccessTokenValidity { get; set; }

    public int? IdTokenValidity { get; set; }

    public TokenValidityUnitsShape? TokenValidityUnits { get; set; }

    public List<string>? ExplicitAuthFlows { get; set; }

    public List<string>? SupportedIdentityProviders { get; set; }

    public List<string>? CallbackURLs { get; set; }

    public List<string>? LogoutURLs { get; set; }

    public List<string>? AllowedOAuthFlows { get; set; }

    public List<string>? AllowedOAuthScopes { get; set; }

    public bool? AllowedOAuthFlowsUserPoolClient { get; set; }

    public string? PreventUserExistenceErrors { get; set; }

    public bool? EnableTokenRevocation { get; set; }

    public RefreshTokenRotationShape? RefreshTokenRotation { get; set; }

    public int? AuthSessionValidity { get; set; }
}

public sealed class UserPoolClientResponse
{
    public UserPoolClientShape? UserPoolClient { get; set; }
}

public sealed class UserPoolClientDescriptionShape
{
    public string? ClientId { get; set; }

    public string? UserPoolId { get; set; }

    public string? ClientName { get; set; }
}

public sealed class ListUserPoolClientsResponse
{
    public List<UserPoolClientDescriptionShape>? UserPoolClients { get; set; }

    public string? NextToken { get; set; }
}
