namespace IdentityBroker.UserPools.Federation;

/// <summary>
/// A user the provider vouched for, after its token or assertion was validated: the subject and the provider's
/// attributes (claims or SAML attributes, as text). Only the federation flows build it, from validated input.
/// </summary>
public sealed record ProviderUser(PoolIdentityProvider Provider, string Subject, IReadOnlyDictionary<string, string> Claims)
{
    /// <summary>Never prints the claims.</summary>
    public override string ToString() => $"ProviderUser {{ Provider = {Provider.ProviderName} }}";
}
