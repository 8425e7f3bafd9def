using FluentValidation;
using IdentityBroker.Pools;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

// Request and response shapes of the Cognito Identity JSON 1.1 API (service model cognito-identity 2014-06-30).
// Every member is nullable: "missing" must be told apart from a value so validation can answer as AWS does.

/// <summary>The pool settings both CreateIdentityPool's input and the IdentityPool shape carry.</summary>
internal interface IPoolSettingsShape
{
    string? IdentityPoolName { get; }

    bool? AllowUnauthenticatedIdentities { get; }

    bool? AllowClassicFlow { get; }

    Dictionary<string, string>? SupportedLoginProviders { get; }

    string? DeveloperProviderName { get; }

    List<string>? OpenIdConnectProviderARNs { get; }

    List<CognitoIdentityProvider>? CognitoIdentityProviders { get; }

    List<string>? SamlProviderARNs { get; }

    Dictionary<string, string>? IdentityPoolTags { get; }
}

public sealed class CreateIdentityPoolRequest : IModelRequest<CreateIdentityPoolRequest>, IPoolSettingsShape
{
    public static IValidator<CreateIdentityPoolRequest> Validator { get; } = new CreateIdentityPoolRequestValidator();

    public string? IdentityPoolName { get; set; }

    public bool? AllowUnauthenticatedIdentities { get; set; }

    public bool? AllowClassicFlow { get; set; }

    public Dictionary<string, string>? SupportedLoginProviders { get; set; }

    public string? DeveloperProviderName { get; set; }

    public List<string>? OpenIdConnectProviderARNs { get; set; }

    public List<CognitoIdentityProvider>? CognitoIdentityProviders { get; set; }

    public List<string>? SamlProviderARNs { get; set; }

    public Dictionary<string, string>? IdentityPoolTags { get; set; }
}

/// <summary>UpdateIdentityPool's input is the whole IdentityPool shape (replace semantics).</summary>
public sealed class IdentityPoolShape : IModelRequest<IdentityPoolShape>, IPoolSettingsShape
{
    public static IValidator<IdentityPoolShape> Validator { get; } = new IdentityPoolShapeValidator();

    public string? IdentityPoolId { get; set; }

    public string? IdentityPoolName { get; set; }

    public bool? AllowUnauthenticatedIdentities { get; set; }

    public bool? AllowClassicFlow { get; set; }

    public Dictionary<string, string>? SupportedLoginProviders { get; set; }

    public string? DeveloperProviderName { get; set; }

    public List<string>? OpenIdConnectProviderARNs { get; set; }

    public List<CognitoIdentityProvider>? CognitoIdentityProviders { get; set; }

    public List<string>? SamlProviderARNs { get; set; }

    public Dictionary<string, string>? IdentityPoolTags { get; set; }
}

public sealed class IdentityPoolIdRequest : IModelRequest<IdentityPoolIdRequest>
{
    public static IValidator<IdentityPoolIdRequest> Validator { get; } = new IdentityPoolIdRequestValidator();

    public string? IdentityPoolId { get; set; }
}

public sealed class ListIdentityPoolsRequest : IModelRequest<ListIdentityPoolsRequest>
{
    public static IValidator<ListIdentityPoolsRequest> Validator { get; } = new ListIdentityPoolsRequestValidator();

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }
}

public sealed class ListIdentityPoolsResponse
{
    public List<IdentityPoolShortDescription> IdentityPools { get; set; } = [];

    public string? NextToken { get; set; }
}

public sealed class IdentityPoolShortDescription
{
    public string? IdentityPoolId { get; set; }

    public string? IdentityPoolName { get; set; }
}

public sealed class GetIdRequest : IModelRequest<GetIdRequest>
{
    public static IValidator<GetIdRequest> Validator { get; } = new GetIdRequestValidator();

    public string? AccountId { get; set; }

    public string? IdentityPoolId { get; set; }

    public Dictionary<string, string>? Logins { get; set; }
}

public sealed class GetIdResponse
{
    public string? IdentityId { get; set; }
}

public sealed class GetOpenIdTokenRequest : IModelRequest<GetOpenIdTokenRequest>
{
    public static IValidator<GetOpenIdTokenRequest> Validator { get; } = new GetOpenIdTokenRequestValidator();

    public string? IdentityId { get; set; }

    public Dictionary<string, string>? Logins { get; set; }
}

public sealed class GetOpenIdTokenResponse
{
    public string? IdentityId { get; set; }

    public string? Token { get; set; }
}

public sealed class GetCredentialsForIdentityRequest : IModelRequest<GetCredentialsForIdentityRequest>
{
    public static IValidator<GetCredentialsForIdentityRequest> Validator { get; } = new GetCredentialsForIdentityRequestValidator();

    public string? IdentityId { get; set; }

    public Dictionary<string, string>? Logins { get; set; }

    public string? CustomRoleArn { get; set; }
}

public sealed class GetCredentialsForIdentityResponse
{
    public string? IdentityId { get; set; }

    public CredentialsShape? Credentials { get; set; }
}

/// <summary>Cognito's own credentials shape: note <c>SecretKey</c>, not SecretAccessKey; Expiration in epoch seconds.</summary>
public sealed class CredentialsShape
{
    public string? AccessKeyId { get; set; }

    public string? SecretKey { get; set; }

    public string? SessionToken { get; set; }

    public double? Expiration { get; set; }
}

public sealed class IdentityIdRequest : IModelRequest<IdentityIdRequest>
{
    public static IValidator<IdentityIdRequest> Validator { get; } = new IdentityIdRequestValidator();

    public string? IdentityId { get; set; }
}

public sealed class IdentityDescription
{
    public string? IdentityId { get; set; }

    public List<string>? Logins { get; set; }

    public double? CreationDate { get; set; }

    public double? LastModifiedDate { get; set; }
}

public sealed class ListIdentitiesRequest : IModelRequest<ListIdentitiesRequest>
{
    public static IValidator<ListIdentitiesRequest> Validator { get; } = new ListIdentitiesRequestValidator();

    public string? IdentityPoolId { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }

    public bool? HideDisabled { get; set; }
}

public sealed class ListIdentitiesResponse
{
    public string? IdentityPoolId { get; set; }

    public List<IdentityDescription> Identities { get; set; } = [];

    public string? NextToken { get; set; }
}

public sealed class DeleteIdentitiesRequest : IModelRequest<DeleteIdentitiesRequest>
{
    public static IValidator<DeleteIdentitiesRequest> Validator { get; } = new DeleteIdentitiesRequestValidator();

    public List<string>? IdentityIdsToDelete { get; set; }
}

public sealed class DeleteIdentitiesResponse
{
    public List<UnprocessedIdentityId> UnprocessedIdentityIds { get; set; } = [];
}

public sealed class UnprocessedIdentityId
{
    public string? IdentityId { get; set; }

    public string? ErrorCode { get; set; }
}

public sealed class SetIdentityPoolRolesRequest : IModelRequest<SetIdentityPoolRolesRequest>
{
    public static IValidator<SetIdentityPoolRolesRequest> Validator { get; } = new SetIdentityPoolRolesRequestValidator();

    public string? IdentityPoolId { get; set; }

    public Dictionary<string, string>? Roles { get; set; }

    public Dictionary<string, RoleMapping>? RoleMappings { get; set; }
}

public sealed class GetIdentityPoolRolesResponse
{
    public string? IdentityPoolId { get; set; }

    public Dictionary<string, string>? Roles { get; set; }

    public Dictionary<string, RoleMapping>? RoleMappings { get; set; }
}

public sealed class GetOpenIdTokenForDeveloperIdentityRequest : IModelRequest<GetOpenIdTokenForDeveloperIdentityRequest>
{
    public static IValidator<GetOpenIdTokenForDeveloperIdentityRequest> Validator { get; } = new GetOpenIdTokenForDeveloperIdentityRequestValidator();

    public string? IdentityPoolId { get; set; }

    public string? IdentityId { get; set; }

    public Dictionary<string, string>? Logins { get; set; }

    public Dictionary<string, string>? PrincipalTags { get; set; }

    public long? TokenDuration { get; set; }
}

public sealed class GetOpenIdTokenForDeveloperIdentityResponse
{
    public string? IdentityId { get; set; }

    public string? Token { get; set; }
}

public sealed class LookupDeveloperIdentityRequest : IModelRequest<LookupDeveloperIdentityRequest>
{
    public static IValidator<LookupDeveloperIdentityRequest> Validator { get; } = new LookupDeveloperIdentityRequestValidator();

    public string? IdentityPoolId { get; set; }

    public string? IdentityId { get; set; }

    public string? DeveloperUserIdentifier { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }
}

public sealed class LookupDeveloperIdentityResponse
{
    public string? IdentityId { get; set; }

    public List<string>? DeveloperUserIdentifierList { get; set; }

    public string? NextToken { get; set; }
}

public sealed class MergeDeveloperIdentitiesRequest : IModelRequest<MergeDeveloperIdentitiesRequest>
{
    public static IValidator<MergeDeveloperIdentitiesRequest> Validator { get; } = new MergeDeveloperIdentitiesRequestValidator();

    public string? SourceUserIdentifier { get; set; }

    public string? DestinationUserIdentifier { get; set; }

    public string? DeveloperProviderName { get; set; }

    public string? IdentityPoolId { get; set; }
}

public sealed class MergeDeveloperIdentitiesResponse
{
    public string? IdentityId { get; set; }
}

public sealed class UnlinkDeveloperIdentityRequest : IModelRequest<UnlinkDeveloperIdentityRequest>
{
    public static IValidator<UnlinkDeveloperIdentityRequest> Validator { get; } = new UnlinkDeveloperIdentityRequestValidator();

    public string? IdentityId { get; set; }

    public string? IdentityPoolId { get; set; }

    public string? DeveloperProviderName { get; set; }

    public string? DeveloperUserIdentifier { get; set; }
}

public sealed class UnlinkIdentityRequest : IModelRequest<UnlinkIdentityRequest>
{
    public static IValidator<UnlinkIdentityRequest> Validator { get; } = new UnlinkIdentityRequestValidator();

    public string? IdentityId { get; set; }

    public Dictionary<string, string>? Logins { get; set; }

    public List<string>? LoginsToRemove { get; set; }
}
