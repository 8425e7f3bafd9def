using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.ResourceServers;

namespace IdentityBroker.UserPools.Pools;

/// <summary>
/// What a client being created or updated names must exist in its pool, as Cognito checks at the write: each of
/// SupportedIdentityProviders is COGNITO or a provider of the pool, and each of AllowedOAuthScopes is a standard scope or
/// a scope of one of the pool's resource servers. Deleting a provider or a scope later leaves clients naming it as they are.
/// </summary>
public sealed class ClientReferences(IUserPoolIdentityProviderStore providers, IResourceServerStore servers)
{
    /// <summary>
    /// Cognito's wording for a provider the pool lacks (quoted in the issue trackers of Terraform and CDK users, e.g.
    /// "The provider Google does not exist for User Pool us-east-1_…").
    /// </summary>
    public static AwsError NoSuchProvider(string provider, string userPoolId) =>
        UserPoolErrors.InvalidParameter($"The provider {provider} does not exist for User Pool {userPoolId}");

    /// <summary>Cognito's answer to a scope no resource server defines ("Invalid scope requested: Cognito", awsdocs issue 564).</summary>
    public static AwsError NoSuchScope(string scope) => new("ScopeDoesNotExistException", $"Invalid scope requested: {scope}");

    /// <returns>Null when every name resolves; otherwise the error for the first that does not.</returns>
    public async Task<AwsError?> CheckAsync(string userPoolId, UserPoolClientSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var provider in (settings.SupportedIdentityProviders ?? []).Distinct(StringComparer.Ordinal))
        {
            if (provider != AuthorizeRequests.CognitoProvider
                && await providers.GetProviderAsync(userPoolId, provider, cancellationToken).ConfigureAwait(false) is null)
            {
                return NoSuchProvider(provider, userPoolId);
            }
        }

        foreach (var scope in (settings.AllowedOAuthScopes ?? []).Distinct(StringComparer.Ordinal))
        {
            if (!OAuthScopes.Standard.Contains(scope) && !await CustomScopeExistsAsync(userPoolId, scope, cancellationToken).ConfigureAwait(false))
            {
                return NoSuchScope(scope);
            }
        }

        return null;
    }

    private async Task<bool> CustomScopeExistsAsync(string userPoolId, string scope, CancellationToken cancellationToken)
    {
        if (OAuthScopes.SplitCustom(scope) is not var (identifier, name))
        {
            return false;
        }

        var server = await servers.GetResourceServerAsync(userPoolId, identifier, cancellationToken).ConfigureAwait(false);
        return server is not null && server.Scopes.Any(s => s.ScopeName == name);
    }
}
