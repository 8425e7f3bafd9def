using IdentityBroker.Errors;
using IdentityBroker.Storage;

namespace IdentityBroker.Pools;

/// <summary>Checks of a pool's configuration that the model's constraints cannot express.</summary>
public sealed class PoolConfigurationRules(IIamStore iam)
{
    public async Task<AwsError?> CheckAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
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

        return null;
    }
}
