namespace IdentityBroker.UserPools.Federation;

public sealed record CreateIdentityProvider(
    string UserPoolId,
    string ProviderName,
    string ProviderType,
    IReadOnlyDictionary<string, string> ProviderDetails,
    IReadOnlyDictionary<string, string>? AttributeMapping,
    IReadOnlyList<string>? IdpIdentifiers);

public sealed record DescribeIdentityProvider(string UserPoolId, string ProviderName);

/// <summary>UpdateIdentityProvider: each of ProviderDetails, AttributeMapping and IdpIdentifiers changes only when given.</summary>
public sealed record UpdateIdentityProvider(
    string UserPoolId,
    string ProviderName,
    IReadOnlyDictionary<string, string>? ProviderDetails,
    IReadOnlyDictionary<string, string>? AttributeMapping,
    IReadOnlyList<string>? IdpIdentifiers);

public sealed record DeleteIdentityProvider(string UserPoolId, string ProviderName);

public sealed record ListIdentityProviders(string UserPoolId, int MaxResults, string? NextToken);

public sealed record GetIdentityProviderByIdentifier(string UserPoolId, string IdpIdentifier);
