namespace IdentityBroker.UserPools.Federation;

/// <summary>
/// An identity provider of a user pool (IdentityProviderType), as CreateIdentityProvider makes it and
/// DescribeIdentityProvider returns it. <see cref="ProviderDetails"/> holds what the request gave plus the endpoints
/// Cognito fills in for the public providers (authorize_url, token_url, attributes_url, oidc_issuer).
/// </summary>
/// <param name="ProviderName">Unique in its pool, compared exactly; the prefix of its federated users' names.</param>
/// <param name="IdpIdentifiers">Other names of the provider for <c>idp_identifier</c>; unique in the pool.</param>
public sealed record PoolIdentityProvider(
    string UserPoolId,
    string ProviderName,
    string ProviderType,
    IReadOnlyDictionary<string, string> ProviderDetails,
    IReadOnlyDictionary<string, string> AttributeMapping,
    IReadOnlyList<string> IdpIdentifiers,
    DateTimeOffset CreationDate,
    DateTimeOffset LastModifiedDate)
{
    public string? Detail(string key) => ProviderDetails.GetValueOrDefault(key);

    /// <summary>Never prints the details (they hold the client secret and Apple's private key).</summary>
    public override string ToString() => $"PoolIdentityProvider {{ UserPoolId = {UserPoolId}, ProviderName = {ProviderName}, ProviderType = {ProviderType} }}";
}
