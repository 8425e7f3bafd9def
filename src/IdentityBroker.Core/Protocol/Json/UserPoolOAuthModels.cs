using FluentValidation;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

// Request and response shapes of the domain and resource-server operations (cognito-idp 2016-04-18). Every member is
// nullable so that "missing" is told apart from a value.

/// <summary>CreateUserPoolDomainRequest and UpdateUserPoolDomainRequest: the same members.</summary>
public sealed class UserPoolDomainRequest : IModelRequest<UserPoolDomainRequest>
{
    public static IValidator<UserPoolDomainRequest> Validator { get; } = new UserPoolDomainRequestValidator();

    public string? Domain { get; set; }

    public string? UserPoolId { get; set; }

    public int? ManagedLoginVersion { get; set; }

    public CustomDomainConfigShape? CustomDomainConfig { get; set; }
}

public sealed class CustomDomainConfigShape
{
    public string? CertificateArn { get; set; }
}

public sealed class DescribeUserPoolDomainRequest : IModelRequest<DescribeUserPoolDomainRequest>
{
    public static IValidator<DescribeUserPoolDomainRequest> Validator { get; } = new DescribeUserPoolDomainRequestValidator();

    public string? Domain { get; set; }
}

/// <summary>CreateUserPoolDomainResponse and UpdateUserPoolDomainResponse.</summary>
public sealed class UserPoolDomainResponse
{
    public int? ManagedLoginVersion { get; set; }

    public string? CloudFrontDomain { get; set; }
}

public sealed class DescribeUserPoolDomainResponse
{
    public DomainDescriptionShape? DomainDescription { get; set; }
}

/// <summary>DomainDescriptionType; all members are left out for a domain that does not exist, as Cognito answers.</summary>
public sealed class DomainDescriptionShape
{
    public string? UserPoolId { get; set; }

    public string? AWSAccountId { get; set; }

    public string? Domain { get; set; }

    public string? CloudFrontDistribution { get; set; }

    public string? Version { get; set; }

    public string? Status { get; set; }

    public int? ManagedLoginVersion { get; set; }
}

/// <summary>CreateResourceServerRequest and UpdateResourceServerRequest.</summary>
public sealed class ResourceServerRequest : IModelRequest<ResourceServerRequest>
{
    public static IValidator<ResourceServerRequest> Validator { get; } = new ResourceServerRequestValidator();

    public string? UserPoolId { get; set; }

    public string? Identifier { get; set; }

    public string? Name { get; set; }

    public List<ResourceServerScopeShape>? Scopes { get; set; }
}

public sealed class ResourceServerScopeShape
{
    public string? ScopeName { get; set; }

    public string? ScopeDescription { get; set; }
}

/// <summary>DescribeResourceServerRequest and DeleteResourceServerRequest.</summary>
public sealed class ResourceServerIdRequest : IModelRequest<ResourceServerIdRequest>
{
    public static IValidator<ResourceServerIdRequest> Validator { get; } = new ResourceServerIdRequestValidator();

    public string? UserPoolId { get; set; }

    public string? Identifier { get; set; }
}

public sealed class ListResourceServersRequest : IModelRequest<ListResourceServersRequest>
{
    public static IValidator<ListResourceServersRequest> Validator { get; } = new ListResourceServersRequestValidator();

    public string? UserPoolId { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }
}

public sealed class ResourceServerShape
{
    public string? UserPoolId { get; set; }

    public string? Identifier { get; set; }

    public string? Name { get; set; }

    public List<ResourceServerScopeShape>? Scopes { get; set; }
}

public sealed class ResourceServerResponse
{
    public ResourceServerShape? ResourceServer { get; set; }
}

public sealed class ListResourceServersResponse
{
    public List<ResourceServerShape>? ResourceServers { get; set; }

    public string? NextToken { get; set; }
}
