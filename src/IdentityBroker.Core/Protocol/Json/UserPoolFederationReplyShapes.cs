using IdentityBroker.Identities;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Federation;

namespace IdentityBroker.Protocol.Json;

/// <summary>From an identity-provider operation's result to its response shape.</summary>
internal static class UserPoolFederationReplyShapes
{
    public static IdentityProviderResponse Provider(PoolIdentityProvider provider) => new() { IdentityProvider = Shape(provider) };

    public static ListIdentityProvidersResponse Providers(Page<PoolIdentityProvider> page) => new()
    {
        Providers = [.. page.Items.Select(p => new ProviderDescriptionShape
        {
            ProviderName = p.ProviderName,
            ProviderType = p.ProviderType,
            LastModifiedDate = IdentityIds.EpochSeconds(p.LastModifiedDate),
            CreationDate = IdentityIds.EpochSeconds(p.CreationDate),
        })],
        NextToken = page.NextToken,
    };

    private static IdentityProviderShape Shape(PoolIdentityProvider provider) => new()
    {
        UserPoolId = provider.UserPoolId,
        ProviderName = provider.ProviderName,
        ProviderType = provider.ProviderType,
        ProviderDetails = new(provider.ProviderDetails),
        AttributeMapping = new(provider.AttributeMapping),
        IdpIdentifiers = [.. provider.IdpIdentifiers],
        LastModifiedDate = IdentityIds.EpochSeconds(provider.LastModifiedDate),
        CreationDate = IdentityIds.EpochSeconds(provider.CreationDate),
    };
}
