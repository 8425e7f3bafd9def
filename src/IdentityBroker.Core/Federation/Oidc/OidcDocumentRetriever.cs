using IdentityBroker.Iam.OidcProviders;
using Microsoft.IdentityModel.Protocols;

namespace IdentityBroker.Federation.Oidc;

/// <summary>
/// Fetches discovery documents and JWKS with <see cref="HttpDocumentRetriever"/>, requiring https for every address
/// (the discovery document and the jwks_uri it names) unless that address's host is a loopback address.
/// </summary>
internal sealed class OidcDocumentRetriever : IDocumentRetriever
{
    private readonly HttpClient _client;

    public OidcDocumentRetriever(HttpClient client)
    {
        _client = client;
    }

    public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !OidcProviderUrl.IsAllowedScheme(uri))
        {
            throw new InvalidOperationException("Refused to fetch OpenID Connect metadata over a scheme other than https (http only for loopback hosts).");
        }

        var retriever = new HttpDocumentRetriever(_client) { RequireHttps = !OidcProviderUrl.IsLoopbackHost(uri) };
        return retriever.GetDocumentAsync(address, cancel);
    }
}
