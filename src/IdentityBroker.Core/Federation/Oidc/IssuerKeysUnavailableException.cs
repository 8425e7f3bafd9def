namespace IdentityBroker.Federation.Oidc;

/// <summary>
/// Thrown by <see cref="OidcProviderKeys.GetKeysAsync"/> (whose contract returns keys or null) when a registered
/// provider's metadata or keys cannot be obtained. Callers that prefer a value use <see cref="OidcProviderKeys.LookupAsync"/>.
/// The message names the issuer only; it never carries a token.
/// </summary>
public sealed class IssuerKeysUnavailableException : Exception
{
    public IssuerKeysUnavailableException()
    {
    }

    public IssuerKeysUnavailableException(string message)
        : base(message)
    {
    }

    public IssuerKeysUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
