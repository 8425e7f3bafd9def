using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

// SetPrincipalTagAttributeMapInput and GetPrincipalTagAttributeMapInput.

/// <summary>The model's PrincipalTags shapes (kept here, next to their only users).</summary>
internal static class PrincipalTagShapes
{
    public static readonly CountShape PrincipalTags = new(null, 50);

    public static readonly StringShape PrincipalTagId = new(1, 128);

    public static readonly StringShape PrincipalTagValue = new(1, 256);
}

internal sealed class SetPrincipalTagAttributeMapRequestValidator : AbstractValidator<SetPrincipalTagAttributeMapRequest>
{
    public SetPrincipalTagAttributeMapRequestValidator()
    {
        RuleFor(r => r.IdentityPoolId).ModelString("identityPoolId", CognitoShapes.IdentityPoolId, required: true);
        RuleFor(r => r.IdentityProviderName).ModelString("identityProviderName", CognitoShapes.IdentityProviderName, required: true);
        RuleFor(r => r.PrincipalTags).ModelStringMap("principalTags", PrincipalTagShapes.PrincipalTags, PrincipalTagShapes.PrincipalTagId,
            PrincipalTagShapes.PrincipalTagValue);
    }
}

internal sealed class GetPrincipalTagAttributeMapRequestValidator : AbstractValidator<GetPrincipalTagAttributeMapRequest>
{
    public GetPrincipalTagAttributeMapRequestValidator()
    {
        RuleFor(r => r.IdentityPoolId).ModelString("identityPoolId", CognitoShapes.IdentityPoolId, required: true);
        RuleFor(r => r.IdentityProviderName).ModelString("identityProviderName", CognitoShapes.IdentityProviderName, required: true);
    }
}
