using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

// Domain and resource-server inputs, in model member order.

internal sealed class UserPoolDomainRequestValidator : AbstractValidator<UserPoolDomainRequest>
{
    public UserPoolDomainRequestValidator()
    {
        RuleFor(r => r.Domain).ModelString("domain", UserPoolOAuthShapes.DomainType, required: true);
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r).Custom((r, context) =>
        {
            if (r.CustomDomainConfig is { } custom)
            {
                ModelChecks.String(context, "customDomainConfig.certificateArn", custom.CertificateArn, UserPoolGroupShapes.ArnType, true);
            }
        });
    }
}

internal sealed class DescribeUserPoolDomainRequestValidator : AbstractValidator<DescribeUserPoolDomainRequest>
{
    public DescribeUserPoolDomainRequestValidator() =>
        RuleFor(r => r.Domain).ModelString("domain", UserPoolOAuthShapes.DomainType, required: true);
}

internal sealed class ResourceServerRequestValidator : AbstractValidator<ResourceServerRequest>
{
    public ResourceServerRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Identifier).ModelString("identifier", UserPoolOAuthShapes.ResourceServerIdentifierType, required: true);
        RuleFor(r => r.Name).ModelString("name", UserPoolOAuthShapes.ResourceServerNameType, required: true);
        RuleFor(r => r).Custom((r, context) =>
        {
            if (r.Scopes is not { } scopes)
            {
                return;
            }

            ModelChecks.Count(context, "scopes", scopes.Count, UserPoolOAuthShapes.ScopeList, false, null, null);
            for (var i = 0; i < scopes.Count; i++)
            {
                ModelChecks.String(context, $"scopes.{i + 1}.member.scopeName", scopes[i]?.ScopeName, UserPoolOAuthShapes.ScopeNameType, true);
                ModelChecks.String(context, $"scopes.{i + 1}.member.scopeDescription", scopes[i]?.ScopeDescription,
                    UserPoolOAuthShapes.ScopeDescriptionType, true);
            }
        });
    }
}

internal sealed class ResourceServerIdRequestValidator : AbstractValidator<ResourceServerIdRequest>
{
    public ResourceServerIdRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.Identifier).ModelString("identifier", UserPoolOAuthShapes.ResourceServerIdentifierType, required: true);
    }
}

internal sealed class ListResourceServersRequestValidator : AbstractValidator<ListResourceServersRequest>
{
    public ListResourceServersRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.MaxResults).ModelInteger("maxResults", UserPoolOAuthShapes.ListResourceServersLimit);
        RuleFor(r => r.NextToken).ModelString("nextToken", UserPoolShapes.PaginationKey);
    }
}
