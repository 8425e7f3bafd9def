using IdentityBroker.UserPools.Federation;
using Bind = IdentityBroker.Protocol.Json.UserPoolFederationBinding;
using Shape = IdentityBroker.Protocol.Json.UserPoolFederationReplyShapes;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// The rows of the identity-provider and provider-link operations in <see cref="UserPoolsOperations"/>: all signed,
/// authorized as <c>cognito-idp:&lt;Op&gt;</c> on the pool's ARN.
/// </summary>
public sealed class UserPoolFederationWire(
    IdentityProviderOperations providers, ProviderLinkOperations links, SamlCertificates certificates, UserPoolResources resources)
{
    internal IEnumerable<CognitoOperation> Operations(JsonOperationTable t)
    {
        var c = UserPoolFederationJsonContext.Default;
        var r = resources;
        yield return t.Signed("CreateIdentityProvider", c.CreateIdentityProviderRequest, Bind.CreateIdentityProvider,
            (q, ct) => certificates.ForReplyAsync(providers.CreateAsync(q, ct), ct),
            Shape.Provider, c.IdentityProviderResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("DescribeIdentityProvider", c.ProviderNameRequest, Bind.DescribeIdentityProvider,
            (q, ct) => certificates.ForReplyAsync(providers.DescribeAsync(q, ct), ct),
            Shape.Provider, c.IdentityProviderResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("UpdateIdentityProvider", c.UpdateIdentityProviderRequest, Bind.UpdateIdentityProvider,
            (q, ct) => certificates.ForReplyAsync(providers.UpdateAsync(q, ct), ct),
            Shape.Provider, c.IdentityProviderResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("DeleteIdentityProvider", c.ProviderNameRequest, Bind.DeleteIdentityProvider, providers.DeleteAsync,
            (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("ListIdentityProviders", c.ListIdentityProvidersRequest, Bind.ListIdentityProviders, providers.ListAsync,
            Shape.Providers, c.ListIdentityProvidersResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("GetIdentityProviderByIdentifier", c.GetIdentityProviderByIdentifierRequest, Bind.GetIdentityProviderByIdentifier,
            (q, ct) => certificates.ForReplyAsync(providers.GetByIdentifierAsync(q, ct), ct), Shape.Provider, c.IdentityProviderResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("GetSigningCertificate", UserPoolJsonContext.Default.UserPoolIdRequest, q => new GetSigningCertificate(q.UserPoolId!),
            certificates.GetSigningCertificateAsync, certificate => new GetSigningCertificateResponse { Certificate = certificate },
            c.GetSigningCertificateResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("AdminLinkProviderForUser", c.AdminLinkProviderForUserRequest, Bind.AdminLinkProviderForUser, links.LinkAsync,
            (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("AdminDisableProviderForUser", c.AdminDisableProviderForUserRequest, Bind.AdminDisableProviderForUser, links.DisableAsync,
            (q, ct) => r.PoolAsync(q.UserPoolId, ct));
    }
}
