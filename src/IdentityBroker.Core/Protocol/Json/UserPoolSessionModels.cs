using FluentValidation;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

// The session operations' shapes (cognito-idp 2016-04-18): RevokeToken and the access-token-only inputs. Their outputs are
// empty structures.

public sealed class RevokeTokenRequest : IModelRequest<RevokeTokenRequest>
{
    public static IValidator<RevokeTokenRequest> Validator { get; } = new RevokeTokenRequestValidator();

    public string? Token { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }
}

/// <summary>GlobalSignOut's input (and every operation whose only member is AccessToken).</summary>
public sealed class AccessTokenRequest : IModelRequest<AccessTokenRequest>
{
    public static IValidator<AccessTokenRequest> Validator { get; } = new AccessTokenRequestValidator();

    public string? AccessToken { get; set; }
}

internal sealed class RevokeTokenRequestValidator : AbstractValidator<RevokeTokenRequest>
{
    public RevokeTokenRequestValidator()
    {
        RuleFor(r => r.Token).ModelString("token", UserPoolShapes.TokenModelType, required: true);
        RuleFor(r => r.ClientId).ModelString("clientId", UserPoolShapes.ClientIdType, required: true);
        RuleFor(r => r.ClientSecret).ModelString("clientSecret", UserPoolShapes.ClientSecretType);
    }
}

internal sealed class AccessTokenRequestValidator : AbstractValidator<AccessTokenRequest>
{
    public AccessTokenRequestValidator() =>
        RuleFor(r => r.AccessToken).ModelString("accessToken", UserPoolShapes.TokenModelType, required: true);
}
