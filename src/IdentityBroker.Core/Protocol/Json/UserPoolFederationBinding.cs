using IdentityBroker.UserPools.Federation;

namespace IdentityBroker.Protocol.Json;

/// <summary>From an identity-provider request shape that passed model validation to its command.</summary>
internal static class UserPoolFederationBinding
{
    /// <summary>ListIdentityProviders' MaxResults is optional (0–60); left out or 0, the page is the largest, 60.</summary>
    public const int DefaultMaxResults = 60;

    public static CreateIdentityProvider CreateIdentityProvider(CreateIdentityProviderRequest r) =>
        new(r.UserPoolId!, r.ProviderName!, r.ProviderType!, r.ProviderDetails!, r.AttributeMapping, r.IdpIdentifiers);

    public static DescribeIdentityProvider DescribeIdentityProvider(ProviderNameRequest r) => new(r.UserPoolId!, r.ProviderName!);

    public static UpdateIdentityProvider UpdateIdentityProvider(UpdateIdentityProviderRequest r) =>
        new(r.UserPoolId!, r.ProviderName!, r.ProviderDetails, r.AttributeMapping, r.IdpIdentifiers);

    public static DeleteIdentityProvider DeleteIdentityProvider(ProviderNameRequest r) => new(r.UserPoolId!, r.ProviderName!);

    public static ListIdentityProviders ListIdentityProviders(ListIdentityProvidersRequest r) =>
        new(r.UserPoolId!, r.MaxResults is > 0 ? r.MaxResults.Value : DefaultMaxResults, r.NextToken);

    public static GetIdentityProviderByIdentifier GetIdentityProviderByIdentifier(GetIdentityProviderByIdentifierRequest r) =>
        new(r.UserPoolId!, r.IdpIdentifier!);

    public static AdminLinkProviderForUser AdminLinkProviderForUser(AdminLinkProviderForUserRequest r) =>
        new(r.UserPoolId!, User(r.DestinationUser!), User(r.SourceUser!));

    public static AdminDisableProviderForUser AdminDisableProviderForUser(AdminDisableProviderForUserRequest r) => new(r.UserPoolId!, User(r.User!));

    private static ProviderUserId User(ProviderUserIdentifierShape s) => new(s.ProviderName, s.ProviderAttributeName, s.ProviderAttributeValue);
}
