namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// What the broker remembers between sending the browser to a provider and its return to <c>/oauth2/idpresponse</c>:
/// the client's authorize query, the provider, and the state, nonce and PKCE verifier of the request to the provider.
/// Carried sealed in a cookie (<see cref="FederationStates"/>), so it is bound to the browser that started the sign-in.
/// </summary>
public sealed record FederationState(
    string UserPoolId, string ProviderName, string AuthorizeQuery, string State, string Nonce, string CodeVerifier, DateTimeOffset ExpiresAt)
{
    /// <summary>SAML: the ID of the AuthnRequest sent with this state, which the response must answer (InResponseTo).</summary>
    public string? SamlRequestId { get; init; }

    public override string ToString() => $"FederationState {{ UserPoolId = {UserPoolId}, ProviderName = {ProviderName} }}";
}
