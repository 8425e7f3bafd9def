using FluentValidation;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

// Shapes of the self-service operations (cognito-idp 2016-04-18): the unsigned sign-up and reset operations, the
// access-token user operations, and the risk configuration. Members the broker does not act on (AnalyticsMetadata,
// UserContextData, ClientMetadata, ValidationData, Session) are read so the body stays valid, and ignored.

/// <summary>What every unsigned user operation carries.</summary>
public abstract class ClientUserRequest
{
    public string? ClientId { get; set; }

    public string? SecretHash { get; set; }

    public string? Username { get; set; }

    public AnalyticsMetadataShape? AnalyticsMetadata { get; set; }

    public UserContextDataShape? UserContextData { get; set; }

    public Dictionary<string, string>? ClientMetadata { get; set; }
}

public sealed class SignUpRequest : ClientUserRequest, IModelRequest<SignUpRequest>
{
    public static IValidator<SignUpRequest> Validator { get; } = new SignUpRequestValidator();

    public string? Password { get; set; }

    public List<AttributeShape>? UserAttributes { get; set; }

    public List<AttributeShape>? ValidationData { get; set; }
}

public sealed class ConfirmSignUpRequest : ClientUserRequest, IModelRequest<ConfirmSignUpRequest>
{
    public static IValidator<ConfirmSignUpRequest> Validator { get; } = new ConfirmSignUpRequestValidator();

    public string? ConfirmationCode { get; set; }

    public bool? ForceAliasCreation { get; set; }

    public string? Session { get; set; }
}

/// <summary>ResendConfirmationCode's and ForgotPassword's input.</summary>
public sealed class ClientUsernameRequest : ClientUserRequest, IModelRequest<ClientUsernameRequest>
{
    public static IValidator<ClientUsernameRequest> Validator { get; } = new ClientUsernameRequestValidator();
}

public sealed class ConfirmForgotPasswordRequest : ClientUserRequest, IModelRequest<ConfirmForgotPasswordRequest>
{
    public static IValidator<ConfirmForgotPasswordRequest> Validator { get; } = new ConfirmForgotPasswordRequestValidator();

    public string? ConfirmationCode { get; set; }

    public string? Password { get; set; }
}

public sealed class AnalyticsMetadataShape
{
    public string? AnalyticsEndpointId { get; set; }
}

public sealed class UserContextDataShape
{
    public string? IpAddress { get; set; }

    public string? EncodedData { get; set; }
}

public sealed class UpdateUserAttributesRequest : IModelRequest<UpdateUserAttributesRequest>
{
    public static IValidator<UpdateUserAttributesRequest> Validator { get; } = new UpdateUserAttributesRequestValidator();

    public string? AccessToken { get; set; }

    public List<AttributeShape>? UserAttributes { get; set; }

    public Dictionary<string, string>? ClientMetadata { get; set; }
}

public sealed class DeleteUserAttributesRequest : IModelRequest<DeleteUserAttributesRequest>
{
    public static IValidator<DeleteUserAttributesRequest> Validator { get; } = new DeleteUserAttributesRequestValidator();

    public string? AccessToken { get; set; }

    public List<string>? UserAttributeNames { get; set; }
}

/// <summary>GetUserAttributeVerificationCode's and VerifyUserAttribute's input (Code only for the latter).</summary>
public sealed class UserAttributeCodeRequest : IModelRequest<UserAttributeCodeRequest>
{
    public static IValidator<UserAttributeCodeRequest> Validator { get; } = new UserAttributeCodeRequestValidator();

    public string? AccessToken { get; set; }

    public string? AttributeName { get; set; }

    public string? Code { get; set; }

    public Dictionary<string, string>? ClientMetadata { get; set; }
}

public sealed class ChangePasswordRequest : IModelRequest<ChangePasswordRequest>
{
    public static IValidator<ChangePasswordRequest> Validator { get; } = new ChangePasswordRequestValidator();

    public string? AccessToken { get; set; }

    public string? PreviousPassword { get; set; }

    public string? ProposedPassword { get; set; }
}

public sealed class RiskConfigurationRequest : IModelRequest<RiskConfigurationRequest>
{
    public static IValidator<RiskConfigurationRequest> Validator { get; } = new RiskConfigurationRequestValidator();

    public string? UserPoolId { get; set; }

    public string? ClientId { get; set; }

    public CompromisedCredentialsRiskConfigurationShape? CompromisedCredentialsRiskConfiguration { get; set; }
}

public sealed class CompromisedCredentialsRiskConfigurationShape
{
    public List<string>? EventFilter { get; set; }

    public CompromisedCredentialsActionsShape? Actions { get; set; }
}

public sealed class CompromisedCredentialsActionsShape
{
    public string? EventAction { get; set; }
}

public sealed class CodeDeliveryDetailsShape
{
    public string? Destination { get; set; }

    public string? DeliveryMedium { get; set; }

    public string? AttributeName { get; set; }
}

public sealed class SignUpResponse
{
    public bool UserConfirmed { get; set; }

    public CodeDeliveryDetailsShape? CodeDeliveryDetails { get; set; }

    public string? UserSub { get; set; }
}

/// <summary>ResendConfirmationCode's, ForgotPassword's and GetUserAttributeVerificationCode's output.</summary>
public sealed class CodeDeliveryResponse
{
    public CodeDeliveryDetailsShape? CodeDeliveryDetails { get; set; }
}

public sealed class UpdateUserAttributesResponse
{
    public List<CodeDeliveryDetailsShape>? CodeDeliveryDetailsList { get; set; }
}

public sealed class GetUserResponse
{
    public string? Username { get; set; }

    public List<AttributeShape>? UserAttributes { get; set; }

    public string? PreferredMfaSetting { get; set; }

    public List<string>? UserMFASettingList { get; set; }
}

public sealed class RiskConfigurationResponse
{
    public RiskConfigurationShape? RiskConfiguration { get; set; }
}

public sealed class RiskConfigurationShape
{
    public string? UserPoolId { get; set; }

    public string? ClientId { get; set; }

    public CompromisedCredentialsRiskConfigurationShape? CompromisedCredentialsRiskConfiguration { get; set; }

    public double? LastModifiedDate { get; set; }
}
