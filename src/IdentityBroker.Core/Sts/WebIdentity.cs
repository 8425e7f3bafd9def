using IdentityBroker.Federation;

namespace IdentityBroker.Sts;

/// <summary>A web identity token that passed every check of <see cref="WebIdentityTokenValidator"/>.</summary>
/// <param name="Audiences">The raw <c>aud</c> values (one for the broker's tokens).</param>
/// <param name="Amr">The token's <c>amr</c> values (the broker's tokens; empty otherwise).</param>
public sealed record WebIdentity(
    IssuerKeys Issuer,
    string Subject,
    IReadOnlyList<string> Audiences,
    IReadOnlyList<string> Amr,
    SessionTagSet Tags,
    string? SourceIdentity)
{
    /// <summary>The issuer without scheme: the IAM condition-key prefix and the Provider STS reports for OIDC.</summary>
    public string ProviderKey => Iam.OidcProviderUrls.WithoutScheme(Issuer.Issuer);
}

/// <summary>Session tags from the claim <c>https://aws.amazon.com/tags</c>.</summary>
public sealed record SessionTagSet(IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> TransitiveKeys)
{
    public static readonly SessionTagSet Empty = new(new Dictionary<string, string>(), []);
}
