using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

// Identity-provider inputs (CreateIdentityProviderRequest, UpdateIdentityProviderRequest, the provider-name inputs,
// ListIdentityProvidersRequest, GetIdentityProviderByIdentifierRequest) and the provider-link inputs.

internal sealed class CreateIdentityProviderRequestValidator : AbstractValidator<CreateIdentityProviderRequest>
{
    public CreateIdentityProviderRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.ProviderName).ModelString("providerName", UserPoolFederationShapes.ProviderNameTypeV2, required: true);
        RuleFor(r => r.ProviderType).Custom((v, c) => ModelChecks.Enum(c, "providerType", v, UserPoolFederationShapes.IdentityProviderTypeType, true));
        RuleFor(r => r.ProviderDetails).ModelStringMap("providerDetails", UserPoolFederationShapes.Unbounded, UserPoolFederationShapes.StringType,
            UserPoolFederationShapes.StringType, required: true);
        RuleFor(r => r.AttributeMapping).ModelStringMap("attributeMapping", UserPoolFederationShapes.Unbounded,
            UserPoolFederationShapes.AttributeMappingKeyType, UserPoolFederationShapes.StringType);
        RuleFor(r => r.IdpIdentifiers).ModelStringList("idpIdentifiers", UserPoolFederationShapes.IdpIdentifiersListType,
            UserPoolFederationShapes.IdpIdentifierType);
    }
}

internal sealed class UpdateIdentityProviderRequestValidator : AbstractValidator<UpdateIdentityProviderRequest>
{
    public UpdateIdentityProviderRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.ProviderName).ModelString("providerName", UserPoolFederationShapes.ProviderNameType, required: true);
        RuleFor(r => r.ProviderDetails).ModelStringMap("providerDetails", UserPoolFederationShapes.Unbounded, UserPoolFederationShapes.StringType,
            UserPoolFederationShapes.StringType);
        RuleFor(r => r.AttributeMapping).ModelStringMap("attributeMapping", UserPoolFederationShapes.Unbounded,
            UserPoolFederationShapes.AttributeMappingKeyType, UserPoolFederationShapes.StringType);
        RuleFor(r => r.IdpIdentifiers).ModelStringList("idpIdentifiers", UserPoolFederationShapes.IdpIdentifiersListType,
            UserPoolFederationShapes.IdpIdentifierType);
    }
}

internal sealed class ProviderNameRequestValidator : AbstractValidator<ProviderNameRequest>
{
    public ProviderNameRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.ProviderName).ModelString("providerName", UserPoolFederationShapes.ProviderNameType, required: true);
    }
}

internal sealed class ListIdentityProvidersRequestValidator : AbstractValidator<ListIdentityProvidersRequest>
{
    public ListIdentityProvidersRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.MaxResults).ModelInteger("maxResults", UserPoolFederationShapes.ListProvidersLimitType);
        RuleFor(r => r.NextToken).ModelString("nextToken", UserPoolShapes.PaginationKeyType);
    }
}

internal sealed class GetIdentityProviderByIdentifierRequestValidator : AbstractValidator<GetIdentityProviderByIdentifierRequest>
{
    public GetIdentityProviderByIdentifierRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.IdpIdentifier).ModelString("idpIdentifier", UserPoolFederationShapes.IdpIdentifierType, required: true);
    }
}

internal sealed class AdminLinkProviderForUserRequestValidator : AbstractValidator<AdminLinkProviderForUserRequest>
{
    public AdminLinkProviderForUserRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolFederationShapes.StringType, required: true);
        RuleFor(r => r.DestinationUser).Custom((u, c) => ProviderUser.Check(c, "destinationUser", u));
        RuleFor(r => r.SourceUser).Custom((u, c) => ProviderUser.Check(c, "sourceUser", u));
    }
}

internal sealed class AdminDisableProviderForUserRequestValidator : AbstractValidator<AdminDisableProviderForUserRequest>
{
    public AdminDisableProviderForUserRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolFederationShapes.StringType, required: true);
        RuleFor(r => r.User).Custom((u, c) => ProviderUser.Check(c, "user", u));
    }
}

/// <summary>ProviderUserIdentifierType: required where the request requires it; its members are all optional in the model.</summary>
internal static class ProviderUser
{
    public static void Check<T>(ValidationContext<T> context, string path, ProviderUserIdentifierShape? user)
    {
        if (user is null)
        {
            ModelChecks.Required(context, path, (bool?)null);
            return;
        }

        ModelChecks.String(context, path + ".providerName", user.ProviderName, UserPoolFederationShapes.ProviderNameType, false);
        ModelChecks.String(context, path + ".providerAttributeName", user.ProviderAttributeName, UserPoolFederationShapes.StringType, false);
        ModelChecks.String(context, path + ".providerAttributeValue", user.ProviderAttributeValue, UserPoolFederationShapes.StringType, false);
    }
}
