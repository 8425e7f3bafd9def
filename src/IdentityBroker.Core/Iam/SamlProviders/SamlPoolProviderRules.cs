using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Iam.SamlProviders;

/// <summary>
/// The pool-configuration check for SamlProviderARNs (CreateIdentityPool, UpdateIdentityPool): no duplicates, and each ARN
/// a registered IAM SAML provider. The lead calls it beside PoolConfigurationRules.
/// </summary>
public sealed class SamlPoolProviderRules(ISamlProviderStore store)
{
    public async Task<AwsError?> CheckAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var arns = pool.SamlProviderARNs ?? [];
        if (arns.Distinct(StringComparer.Ordinal).Count() != arns.Count)
        {
            return CognitoErrors.InvalidParameter("SamlProviderARNs contains duplicates.");
        }

        foreach (var arn in arns)
        {
            if (await store.GetSamlProviderAsync(arn, cancellationToken).ConfigureAwait(false) is null)
            {
                return CognitoErrors.InvalidParameter($"Invalid SamlProviderARN: '{arn}' is not a registered SAML provider.");
            }
        }

        return null;
    }
}
