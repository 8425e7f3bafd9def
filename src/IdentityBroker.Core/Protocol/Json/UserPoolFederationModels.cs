using FluentValidation;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

// Request and response shapes of the identity-provider and provider-link operations of the Cognito User Pools JSON 1.1
// API (cognito-idp 2016-04-18). Every member is nullable so that "missing" is told apart from a value.

/// <summary>CreateIdentityProviderRequest.</summary>
public sealed class CreateIdentityProviderRequest : IModelRequest<CreateIdentityProviderRequest>
{
    public static IValidator<CreateIdentityProviderRequest> Validator { get; } = new CreateIdentityProviderRequestValidator();

    public string? UserPoolId { get; set; }

    public string? ProviderName { get; set; }

    public string? ProviderType { get; set; }

    public Dictionary<string, string>? ProviderDetails { get; set; }

    public Dictionary<string, string>? AttributeMapping { get; set; }

    public List<string>? IdpIdentifiers { get; set; }
}

/// <summary>UpdateIdentityProviderRequest.</summary>
public sealed class UpdateIdentityProviderRequest : IModelRequest<UpdateIdentityProviderRequest>
{
    public static IValidator<UpdateIdentityProviderRequest> Validator { get; } = new UpdateIdentityProviderRequestValidator();

    public string? UserPoolId { get; set; }

    public string? ProviderName { get; set; }

    public Dictionary<string, string>? ProviderDetails { get; set; }

    public Dictionary<string, string>? AttributeMapping { get; set; }

    public List<string>? IdpIdentifiers { get; set; }
}

/// <summary>DescribeIdentityProviderRequest and DeleteIdentityProviderRequest.</summary>
public sealed class ProviderNameRequest : IModelRequest<ProviderNameRequest>
{
    public static IValidator<ProviderNameRequest> Validator { get; } = new ProviderNameRequestValidator();

    public string? UserPoolId { get; set; }

    public string? ProviderName { get; set; }
}

public sealed class ListIdentityProvidersRequest : IModelRequest<ListIdentityProvidersRequest>
{
    public static IValidator<ListIdentityProvidersRequest> Validator { get; } = new ListIdentityProvidersRequestValidator();

    public string? UserPoolId { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }
}

public sealed class GetIdentityProviderByIdentifierRequest : IModelRequest<GetIdentityProviderByIdentifierRequest>
{
    public static IValidator<GetIdentityProviderByIdentifierRequest> Validator { get; } = new GetIdentityProviderByIdentifierRequestValidator();

    public string? UserPoolId { get; set; }

    public string? IdpIdentifier { get; set; }
}

/// <summary>IdentityProviderType.</summary>
public sealed class IdentityProviderShape
{
    public string? UserPoolId { get; set; }

    public string? ProviderName { get; set; }

    public string? ProviderType { get; set; }

    public Dictionary<string, string>? ProviderDetails { get; set; }

    public Dictionary<string, string>? AttributeMapping { get; set; }

    public List<string>? IdpIdentifiers { get; set; }

    public double? LastModifiedDate { get; set; }

    public double? CreationDate { get; set; }
}

/// <summary>The output of Create/Describe/Update/GetIdentityProviderByIdentifier.</summary>
public sealed class IdentityProviderResponse
{
    public IdentityProviderShape? IdentityProvider { get; set; }
}

/// <summary>ProviderDescription.</summary>
public sealed class ProviderDescriptionShape
{
    public string? ProviderName { get; set; }

    public string? ProviderType { get; set; }

    public double? LastModifiedDate { get; set; }

    public double? CreationDate { get; set; }
}

public sealed class ListIdentityProvidersResponse
{
    public List<ProviderDescriptionShape>? Providers { get; set; }

    public string? NextToken { get; set; }
}

/// <summary>ProviderUserIdentifierType.</summary>
public sealed class ProviderUserIdentifierShape
{
    public string? ProviderName { get; set; }

    public string? ProviderAttributeName { get; set; }

    public string? ProviderAttributeValue { get; set; }
}

public sealed class AdminLinkProviderForUserRequest : IModelRequest<AdminLinkProviderForUserRequest>
{
    public static IValidator<AdminLinkProviderForUserRequest> Validator { get; } = new AdminLinkProviderForUserRequestValidator();

    public string? UserPoolId { get; set; }

    public ProviderUserIdentifierShape? DestinationUser { get; set; }

    public ProviderUserIdentifierShape? SourceUser { get; set; }
}

public sealed class AdminDisableProviderForUserRequest : IModelRequest<AdminDisableProviderForUserRequest>
{
    public static IValidator<AdminDisableProviderForUserRequest> Validator { get; } = new AdminDisableProviderForUserRequestValidator();

    public string? UserPoolId { get; set; }

    public ProviderUserIdentifierShape? User { get; set; }
}

/// <summary>GetSigningCertificateResponse.</summary>
public sealed class GetSigningCertificateResponse
{
    public string? Certificate { get; set; }
}
