using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

// Pool administration inputs: CreateIdentityPoolInput, the IdentityPool shape (UpdateIdentityPool), the
// IdentityPoolId-only inputs (Describe/Delete/GetIdentityPoolRoles), ListIdentityPoolsInput, SetIdentityPoolRolesInput.

internal sealed class CreateIdentityPoolRequestValidator : AbstractValidator<CreateIdentityPoolRequest>
{
    public CreateIdentityPoolRequestValidator()
    {
        RuleFor(r => r.IdentityPoolName).ModelString("identityPoolName", CognitoShapes.IdentityPoolName, required: true);
        RuleFor(r => r.AllowUnauthenticatedIdentities).ModelRequired("allowUnauthenticatedIdentities");
        RuleFor(r => r.SupportedLoginProviders).ModelStringMap("supportedLoginProviders", CognitoShapes.IdentityProviders,
            CognitoShapes.IdentityProviderName, CognitoShapes.IdentityProviderId);
        RuleFor(r => r.DeveloperProviderName).ModelString("developerProviderName", CognitoShapes.DeveloperProviderName);
        RuleFor(r => r.OpenIdConnectProviderARNs).ModelStringList("openIdConnectProviderARNs", CognitoShapes.Unbounded,
            CognitoShapes.ArnString);
        RuleFor(r => r.CognitoIdentityProviders).Custom((providers, context) =>
            StructureChecks.CognitoIdentityProviders(context, "cognitoIdentityProviders", providers));
        RuleFor(r => r.SamlProviderARNs).ModelStringList("samlProviderARNs", CognitoShapes.Unbounded, CognitoShapes.ArnString);
        RuleFor(r => r.IdentityPoolTags).ModelStringMap("identityPoolTags", CognitoShapes.Unbounded, CognitoShapes.TagKeysType,
            CognitoShapes.TagValueType);
    }
}

/// <summary>UpdateIdentityPool's input is the whole IdentityPool shape, so it also requires the pool id.</summary>
internal sealed class IdentityPoolShapeValidator : AbstractValidator<IdentityPoolShape>
{
    public IdentityPoolShapeValidator()
    {
        RuleFor(r => r.IdentityPoolId).ModelString("identityPoolId", CognitoShapes.IdentityPoolId, required: true);
        RuleFor(r => r.IdentityPoolName).ModelString("identityPoolName", CognitoShapes.IdentityPoolName, required: true);
        RuleFor(r => r.AllowUnauthenticatedIdentities).ModelRequired("allowUnauthenticatedIdentities");
        RuleFor(r => r.SupportedLoginProviders).ModelStringMap("supportedLoginProviders", CognitoShapes.IdentityProviders,
            CognitoShapes.IdentityProviderName, CognitoShapes.IdentityProviderId);
        RuleFor(r => r.DeveloperProviderName).ModelString("developerProviderName", CognitoShapes.DeveloperProviderName);
        RuleFor(r => r.OpenIdConnectProviderARNs).ModelStringList("openIdConnectProviderARNs", CognitoShapes.Unbounded,
            CognitoShapes.ArnString);
        RuleFor(r => r.CognitoIdentityProviders).Custom((providers, context) =>
            StructureChecks.CognitoIdentityProviders(context, "cognitoIdentityProviders", providers));
        RuleFor(r => r.SamlProviderARNs).ModelStringList("samlProviderARNs", CognitoShapes.Unbounded, CognitoShapes.ArnString);
        RuleFor(r => r.IdentityPoolTags).ModelStringMap("identityPoolTags", CognitoShapes.Unbounded, CognitoShapes.TagKeysType,
            CognitoShapes.TagValueType);
    }
}

internal sealed class IdentityPoolIdRequestValidator : AbstractValidator<IdentityPoolIdRequest>
{
    public IdentityPoolIdRequestValidator()
    {
        RuleFor(r => r.IdentityPoolId).ModelString("identityPoolId", CognitoShapes.IdentityPoolId, required: true);
    }
}

internal sealed class ListIdentityPoolsRequestValidator : AbstractValidator<ListIdentityPoolsRequest>
{
    public ListIdentityPoolsRequestValidator()
    {
        RuleFor(r => r.MaxResults).ModelInteger("maxResults", CognitoShapes.QueryLimit, required: true);
        RuleFor(r => r.NextToken).ModelString("nextToken", CognitoShapes.PaginationKey);
    }
}

internal sealed class SetIdentityPoolRolesRequestValidator : AbstractValidator<SetIdentityPoolRolesRequest>
{
    public SetIdentityPoolRolesRequestValidator()
    {
        RuleFor(r => r.IdentityPoolId).ModelString("identityPoolId", CognitoShapes.IdentityPoolId, required: true);
        RuleFor(r => r.Roles).ModelStringMap("roles", CognitoShapes.RolesMap, CognitoShapes.RoleType, CognitoShapes.ArnString,
            required: true);
        RuleFor(r => r.RoleMappings).Custom((mappings, context) =>
            StructureChecks.RoleMappings(context, "roleMappings", mappings));
    }
}
