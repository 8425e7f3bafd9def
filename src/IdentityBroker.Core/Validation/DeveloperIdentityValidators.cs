using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

// Linking and developer-identity inputs: UnlinkIdentityInput, GetOpenIdTokenForDeveloperIdentityInput,
// LookupDeveloperIdentityInput, MergeDeveloperIdentitiesInput, UnlinkDeveloperIdentityInput.

internal sealed class UnlinkIdentityRequestValidator : AbstractValidator<UnlinkIdentityRequest>
{
    public UnlinkIdentityRequestValidator()
    {
        RuleFor(r => r.IdentityId).ModelString("identityId", CognitoShapes.IdentityId, required: true);
        RuleFor(r => r.Logins).ModelStringMap("logins", CognitoShapes.LoginsMap, CognitoShapes.IdentityProviderName,
            CognitoShapes.IdentityProviderToken, required: true);
        RuleFor(r => r.LoginsToRemove).ModelStringList("loginsToRemove", CognitoShapes.Unbounded, CognitoShapes.IdentityProviderName,
            required: true);
    }
}

internal sealed class GetOpenIdTokenForDeveloperIdentityRequestValidator : AbstractValidator<GetOpenIdTokenForDeveloperIdentityRequest>
{
    public GetOpenIdTokenForDeveloperIdentityRequestValidator()
    {
        RuleFor(r => r.IdentityPoolId).ModelString("identityPoolId", CognitoShapes.IdentityPoolId, required: true);
        RuleFor(r => r.IdentityId).ModelString("identityId", CognitoShapes.IdentityId);
        RuleFor(r => r.Logins).ModelStringMap("logins", CognitoShapes.LoginsMap, CognitoShapes.IdentityProviderName,
            CognitoShapes.IdentityProviderToken, required: true);
        RuleFor(r => r.PrincipalTags).ModelStringMap("principalTags", CognitoShapes.PrincipalTags, CognitoShapes.PrincipalTagId,
            CognitoShapes.PrincipalTagValue);
        RuleFor(r => r.TokenDuration).ModelLong("tokenDuration", CognitoShapes.TokenDuration);
    }
}

internal sealed class LookupDeveloperIdentityRequestValidator : AbstractValidator<LookupDeveloperIdentityRequest>
{
    public LookupDeveloperIdentityRequestValidator()
    {
        RuleFor(r => r.IdentityPoolId).ModelString("identityPoolId", CognitoShapes.IdentityPoolId, required: true);
        RuleFor(r => r.IdentityId).ModelString("identityId", CognitoShapes.IdentityId);
        RuleFor(r => r.DeveloperUserIdentifier).ModelString("developerUserIdentifier", CognitoShapes.DeveloperUserIdentifier);
        RuleFor(r => r.MaxResults).ModelInteger("maxResults", CognitoShapes.QueryLimit);
        RuleFor(r => r.NextToken).ModelString("nextToken", CognitoShapes.PaginationKey);
    }
}

internal sealed class MergeDeveloperIdentitiesRequestValidator : AbstractValidator<MergeDeveloperIdentitiesRequest>
{
    public MergeDeveloperIdentitiesRequestValidator()
    {
        RuleFor(r => r.SourceUserIdentifier).ModelString("sourceUserIdentifier", CognitoShapes.DeveloperUserIdentifier, required: true);
        RuleFor(r => r.DestinationUserIdentifier).ModelString("destinationUserIdentifier", CognitoShapes.DeveloperUserIdentifier,
            required: true);
        RuleFor(r => r.DeveloperProviderName).ModelString("developerProviderName", CognitoShapes.DeveloperProviderName, required: true);
        RuleFor(r => r.IdentityPoolId).ModelString("identityPoolId", CognitoShapes.IdentityPoolId, required: true);
    }
}

internal sealed class UnlinkDeveloperIdentityRequestValidator : AbstractValidator<UnlinkDeveloperIdentityRequest>
{
    public UnlinkDeveloperIdentityRequestValidator()
    {
        RuleFor(r => r.IdentityId).ModelString("identityId", CognitoShapes.IdentityId, required: true);
        RuleFor(r => r.IdentityPoolId).ModelString("identityPoolId", CognitoShapes.IdentityPoolId, required: true);
        RuleFor(r => r.DeveloperProviderName).ModelString("developerProviderName", CognitoShapes.DeveloperProviderName, required: true);
        RuleFor(r => r.DeveloperUserIdentifier).ModelString("developerUserIdentifier", CognitoShapes.DeveloperUserIdentifier,
            required: true);
    }
}
