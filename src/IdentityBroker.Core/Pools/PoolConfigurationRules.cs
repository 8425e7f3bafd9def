using IdentityBroker.Errors;
using IdentityBroker.Federation.UserPools;
using IdentityBroker.Iam.SamlProviders;
using IdentityBroker.Storage;

namespace IdentityBroker.Pools;

/// <summary>Checks of a pool's configuration that the model's constraints cannot express.</summary>
public sealed class PoolConfigurationRules(IIamStore iam, SamlPoolProviderRules saml, BrokerUserPoolLogins? brokerPools = null)
{
    public async Task<AwsError?> CheckAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        if (Tags.IdentityPoolTagRules.Check(pool.IdentityPoolTags) is { } badTags)
        {
            return badTags;
        }

        var arns = pool.OpenIdConnectProviderARNs ?? [];
        if (arns.Distinct(StringComparer.Ordinal).Count() != arns.Count)
        {
            return CognitoErrors.InvalidParameter("OpenIdConnectProviderARNs contains duplicates.");
        }

        foreach (var arn in arns)
        {
            if (await iam.GetOidcProviderAsync(arn, cancellationToken).ConfigureAwait(false) is null)
            {
                return CognitoErrors.InvalidParameter($"Invalid OpenIdConnectProviderARN: '{arn}' is not a registered OpenID Connect provider.");
            }
        }

        return CheckUserPoolProviders(pool.CognitoIdentityProviders ?? [], brokerPools)
            ?? await saml.CheckAsync(pool, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Each entry names a user pool as <c>cognito-idp.&lt;region&gt;.amazonaws.com/&lt;userPoolId&gt;</c>, or one of the broker's
    /// own pools as its issuer without scheme, with a client id, once.
    /// </summary>
    private static AwsError? CheckUserPoolProviders(IReadOnlyList<CognitoIdentityProvider> providers, BrokerUserPoolLogins? brokerPools)
    {
        foreach (var provider in providers)
        {
            if (UserPoolProviderName.TryParse(provider.ProviderName) is null && brokerPools?.PoolIdOf(provider.ProviderName) is null)
            {
                return CognitoErrors.InvalidParameter(
                    $"Invalid CognitoIdentityProvider ProviderName '{provider.ProviderName}': expected cognito-idp.<region>.amazonaws.com/<userPoolId> "
                    + "or a broker user pool's issuer without scheme (<host>/<userPoolId>).");
            }

            if (string.IsNullOrEmpty(provider.ClientId))
            {
                return CognitoErrors.InvalidParameter($"CognitoIdentityProvider '{provider.ProviderName}' needs a ClientId.");
            }
        }

        var pairs = providers.Select(p => (p.ProviderName, p.ClientId)).ToList();
        return pairs.Distinct().Count() == pairs.Count
            ? null
            : CognitoErrors.InvalidParameter("CognitoIdentityProviders contains duplicates.");
    }
}
