using FluentValidation;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

// SetPrincipalTagAttributeMap / GetPrincipalTagAttributeMap (service model cognito-identity 2014-06-30).

public sealed class SetPrincipalTagAttributeMapRequest : IModelRequest<SetPrincipalTagAttributeMapRequest>
{
    public static IValidator<SetPrincipalTagAttributeMapRequest> Validator { get; } = new SetPrincipalTagAttributeMapRequestValidator();

    public string? IdentityPoolId { get; set; }

    public string? IdentityProviderName { get; set; }

    public bool? UseDefaults { get; set; }

    public Dictionary<string, string>? PrincipalTags { get; set; }
}

public sealed class GetPrincipalTagAttributeMapRequest : IModelRequest<GetPrincipalTagAttributeMapRequest>
{
    public static IValidator<GetPrincipalTagAttributeMapRequest> Validator { get; } = new GetPrincipalTagAttributeMapRequestValidator();

    public string? IdentityPoolId { get; set; }

    public string? IdentityProviderName { get; set; }
}

/// <summary>Both operations answer the same four members.</summary>
public sealed class PrincipalTagAttributeMapResponse
{
    public string? IdentityPoolId { get; set; }

    public string? IdentityProviderName { get; set; }

    public bool? UseDefaults { get; set; }

    public Dictionary<string, string>? PrincipalTags { get; set; }
}
