using FluentValidation;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

// The sign-in operations' shapes (cognito-idp 2016-04-18): InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
// AdminRespondToAuthChallenge, GetTokensFromRefreshToken, AdminUserGlobalSignOut. Members the broker does not use
// (AnalyticsMetadata, UserContextData, ContextData, DeviceKey) are read and ignored as unknown members.

public sealed class InitiateAuthRequest : IModelRequest<InitiateAuthRequest>, ISignInRequest
{
    string? ISignInRequest.UserPoolId => null;

    string? ISignInRequest.Name => AuthFlow;

    Dictionary<string, string>? ISignInRequest.Parameters => AuthParameters;

    public static IValidator<InitiateAuthRequest> Validator { get; } = new SignInRequestValidator<InitiateAuthRequest>(admin: false, challenge: false);

    public string? ClientId { get; set; }

    public string? AuthFlow { get; set; }

    public Dictionary<string, string>? AuthParameters { get; set; }

    public Dictionary<string, string>? ClientMetadata { get; set; }

    public string? Session { get; set; }
}

public sealed class AdminInitiateAuthRequest : IModelRequest<AdminInitiateAuthRequest>, ISignInRequest
{
    string? ISignInRequest.Name => AuthFlow;

    Dictionary<string, string>? ISignInRequest.Parameters => AuthParameters;

    public static IValidator<AdminInitiateAuthRequest> Validator { get; } = new SignInRequestValidator<AdminInitiateAuthRequest>(admin: true, challenge: false);

    public string? UserPoolId { get; set; }

    public string? ClientId { get; set; }

    public string? AuthFlow { get; set; }

    public Dictionary<string, string>? AuthParameters { get; set; }

    public Dictionary<string, string>? ClientMetadata { get; set; }

    public string? Session { get; set; }
}

public sealed class RespondToAuthChallengeRequest : IModelRequest<RespondToAuthChallengeRequest>, ISignInRequest
{
    string? ISignInRequest.UserPoolId => null;

    string? ISignInRequest.Name => ChallengeName;

    Dictionary<string, string>? ISignInRequest.Parameters => ChallengeResponses;

    public static IValidator<RespondToAuthChallengeRequest> Validator { get; } =
        new SignInRequestValidator<RespondToAuthChallengeRequest>(admin: false, challenge: true);

    public string? ClientId { get; set; }

    public string? ChallengeName { get; set; }

    public string? Session { get; set; }

    public Dictionary<string, string>? ChallengeResponses { get; set; }

    public Dictionary<string, string>? ClientMetadata { get; set; }
}

public sealed class AdminRespondToAuthChallengeRequest : IModelRequest<AdminRespondToAuthChallengeRequest>, ISignInRequest
{
    string? ISignInRequest.Name => ChallengeName;

    Dictionary<string, string>? ISignInRequest.Parameters => ChallengeResponses;

    public static IValidator<AdminRespondToAuthChallengeRequest> Validator { get; } =
        new SignInRequestValidator<AdminRespondToAuthChallengeRequest>(admin: true, challenge: true);

    public string? UserPoolId { get; set; }

    public string? ClientId { get; set; }

    public string? ChallengeName { get; set; }

    public string? Session { get; set; }

    public Dictionary<string, string>? ChallengeResponses { get; set; }

    public Dictionary<string, string>? ClientMetadata { get; set; }
}

public sealed class GetTokensFromRefreshTokenRequest : IModelRequest<GetTokensFromRefreshTokenRequest>
{
    public static IValidator<GetTokensFromRefreshTokenRequest> Validator { get; } = new GetTokensFromRefreshTokenRequestValidator();

    public string? RefreshToken { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public Dictionary<string, string>? ClientMetadata { get; set; }
}

/// <summary>AdminUserGlobalSignOut's input; its output is empty.</summary>
public sealed class AdminUserGlobalSignOutRequest : IModelRequest<AdminUserGlobalSignOutRequest>
{
    public static IValidator<AdminUserGlobalSignOutRequest> Validator { get; } = new AdminUserGlobalSignOutRequestValidator();

    public string? UserPoolId { get; set; }

    public string? Username { get; set; }
}

/// <summary>The output of all four sign-in operations (InitiateAuthResponse, RespondToAuthChallengeResponse and their admin twins).</summary>
public sealed class SignInResponse
{
    public string? ChallengeName { get; set; }

    public string? Session { get; set; }

    public Dictionary<string, string>? ChallengeParameters { get; set; }

    public AuthenticationResultShape? AuthenticationResult { get; set; }
}

public sealed class GetTokensFromRefreshTokenResponse
{
    public AuthenticationResultShape? AuthenticationResult { get; set; }
}

/// <summary>AuthenticationResultType.</summary>
public sealed class AuthenticationResultShape
{
    public string? AccessToken { get; set; }

    public int? ExpiresIn { get; set; }

    public string? TokenType { get; set; }

    public string? RefreshToken { get; set; }

    public string? IdToken { get; set; }
}

/// <summary>The members the four sign-in requests share, so that one validator serves them.</summary>
internal interface ISignInRequest
{
    string? UserPoolId { get; }

    string? ClientId { get; }

    /// <summary>AuthFlow or ChallengeName.</summary>
    string? Name { get; }

    /// <summary>AuthParameters or ChallengeResponses.</summary>
    Dictionary<string, string>? Parameters { get; }

    string? Session { get; }

    Dictionary<string, string>? ClientMetadata { get; }
}

/// <summary>
/// The members the four sign-in requests share, read by name so that one validator serves them: ClientId (required),
/// AuthFlow or ChallengeName (required, the model's enums), the sensitive parameter map, Session, and UserPoolId (admin).
/// </summary>
internal sealed class SignInRequestValidator<T> : AbstractValidator<T>
    where T : ISignInRequest
{
    private static readonly EnumShape AuthFlowType = new("USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH",
        "ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH");

    private static readonly EnumShape ChallengeNameType = new("SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE",
        "MFA_SETUP", "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER",
        "ADMIN_NO_SRP_AUTH", "NEW_PASSWORD_REQUIRED", "SMS_OTP", "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP");

    /// <summary>SessionType: 20–2048 characters, sensitive.</summary>
    private static readonly StringShape SessionType = new(20, 2048, sensitive: true);

    /// <summary>AuthParametersType / ChallengeResponsesType: StringType keys and values, the map sensitive.</summary>
    private static readonly StringShape SensitiveString = new(0, 131072, sensitive: true);

    public SignInRequestValidator(bool admin, bool challenge)
    {
        RuleFor(r => r).Custom((r, context) =>
        {
            if (admin)
            {
                ModelChecks.String(context, "userPoolId", r.UserPoolId, UserPoolShapes.UserPoolIdType, required: true);
            }

            ModelChecks.String(context, "clientId", r.ClientId, UserPoolShapes.ClientIdType, required: true);
            var (name, names, parameters) = challenge
                ? ("challengeName", ChallengeNameType, "challengeResponses")
                : ("authFlow", AuthFlowType, "authParameters");
            ModelChecks.Enum(context, name, r.Name, names, required: true);
            ModelChecks.StringMap(context, parameters, r.Parameters, UserPoolShapes.Unbounded, SensitiveString, SensitiveString, required: false);
            ModelChecks.String(context, "session", r.Session, SessionType, required: false);
            UserChecks.ClientMetadata(context, r.ClientMetadata);
        });
    }
}

internal sealed class GetTokensFromRefreshTokenRequestValidator : AbstractValidator<GetTokensFromRefreshTokenRequest>
{
    public GetTokensFromRefreshTokenRequestValidator()
    {
        RuleFor(r => r.RefreshToken).ModelString("refreshToken", UserPoolShapes.TokenModelType, required: true);
        RuleFor(r => r.ClientId).ModelString("clientId", UserPoolShapes.ClientIdType, required: true);
        RuleFor(r => r.ClientSecret).ModelString("clientSecret", UserPoolShapes.ClientSecretType);
        RuleFor(r => r.ClientMetadata).Custom((map, context) => UserChecks.ClientMetadata(context, map));
    }
}

internal sealed class AdminUserGlobalSignOutRequestValidator : AbstractValidator<AdminUserGlobalSignOutRequest>
{
    public AdminUserGlobalSignOutRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Username).ModelString("username", UserPoolUserShapes.UsernameType, required: true);
    }
}
