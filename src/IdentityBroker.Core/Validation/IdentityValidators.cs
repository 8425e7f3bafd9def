using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

// Identity inputs: GetIdInput, GetOpenIdTokenInput, GetCredentialsForIdentityInput (the unsigned hot path),
// DescribeIdentityInput, ListIdentitiesInput, DeleteIdentitiesInput.

internal sealed class GetIdRequestValidator : AbstractValidator<GetIdRequest>
{
    public GetIdRequestValidator()
    {
        RuleFor(r => r.AccountId).ModelString("accountId", CognitoShapes.AccountId);
        RuleFor(r => r.IdentityPoolId).ModelString("identityPoolId", CognitoShapes.IdentityPoolId, required: true);
        RuleFor(r => r.Logins).ModelStringMap("logins", CognitoShapes.LoginsMap, CognitoShapes.IdentityProviderName,
            CognitoShapes.IdentityProviderToken);
    }
}

internal sealed class GetOpenIdTokenRequestValidator : AbstractValidator<GetOpenIdTokenRequest>
{
    public GetOpenIdTokenRequestValidator()
    {
        RuleFor(r => r.IdentityId).ModelString("identityId", CognitoShapes.IdentityId, required: true);
        RuleFor(r => r.Logins).ModelStringMap("logins", CognitoShapes.LoginsMap, CognitoShapes.IdentityProviderName,
            CognitoShapes.IdentityProviderToken);
    }
}

internal sealed class GetCredentialsForIdentityRequestValidator : AbstractValidator<GetCredentialsForIdentityRequest>
{
    public GetCredentialsForIdentityRequestValidator()
    {
        RuleFor(r => r.IdentityId).ModelString("identityId", CognitoShapes.IdentityId, required: true);
        RuleFor(r => r.Logins).ModelStringMap("logins", CognitoShapes.LoginsMap, CognitoShapes.IdentityProviderName,
            CognitoShapes.IdentityProviderToken);
        RuleFor(r => r.CustomRoleArn).ModelString("customRoleArn", CognitoShapes.ArnString);
    }
}

internal sealed class IdentityIdRequestValidator : AbstractValidator<IdentityIdRequest>
{
    public IdentityIdRequestValidator()
    {
        RuleFor(r => r.IdentityId).ModelString("identityId", CognitoShapes.IdentityId, required: true);
    }
}

internal sealed class ListIdentitiesRequestValidator : AbstractValidator<ListIdentitiesRequest>
{
    public ListIdentitiesRequestValidator()
    {
        RuleFor(r => r.IdentityPoolId).ModelString("identityPoolId", CognitoShapes.IdentityPoolId, required: true);
        RuleFor(r => r.MaxResults).ModelInteger("maxResults", CognitoShapes.QueryLimit, required: true);
        RuleFor(r => r.NextToken).ModelString("nextToken", CognitoShapes.PaginationKey);
    }
}

internal sealed class DeleteIdentitiesRequestValidator : AbstractValidator<DeleteIdentitiesRequest>
{
    public DeleteIdentitiesRequestValidator()
    {
        RuleFor(r => r.IdentityIdsToDelete).ModelStringList("identityIdsToDelete", CognitoShapes.IdentityIdList,
            CognitoShapes.IdentityId, required: true);
    }
}
