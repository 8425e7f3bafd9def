using System.Collections.Concurrent;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Federation.Social;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// The IdP metadata of a user pool's SAML provider: its <c>MetadataFile</c>, or the document at its <c>MetadataURL</c>
/// (fetched with the providers' HTTP client, at most <see cref="MaxDocumentBytes"/>, kept <see cref="Lifetime"/> so that
/// each sign-in does not fetch it again, and so that a rotated IdP certificate is picked up within that time).
/// </summary>
public sealed class SamlProviderMetadata(IHttpClientFactory http, BrokerOptions options, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const int MaxDocumentBytes = 1024 * 1024;
    private const int MaxCached = 1024;

    private readonly ConcurrentDictionary<string, (SamlMetadata Metadata, DateTimeOffset Until)> _fetched = new(StringComparer.Ordinal);

    /// <summary>The parsed metadata; null when there is none, it cannot be fetched, or it does not parse.</summary>
    public async Task<SamlMetadata?> ForAsync(PoolIdentityProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (provider.Detail("MetadataFile") is { } file)
        {
            return Parsed(file);
        }

        if (provider.Detail("MetadataURL") is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (_fetched.TryGetValue(url, out var cached) && now < cached.Until)
        {
            return cached.Metadata;
        }

        var metadata = Parsed(await FetchAsync(uri, cancellationToken).ConfigureAwait(false));
        if (metadata is not null)
        {
            if (_fetched.Count >= MaxCached)
            {
                _fetched.Clear();
            }

            _fetched[url] = (metadata, now + Lifetime);
        }

        return metadata;
    }

    private async Task<string?> FetchAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var client = http.CreateClient(ProviderApi.HttpClientName);
        client.Timeout = options.Providers.RequestTimeout;
        client.MaxResponseContentBufferSize = MaxDocumentBytes;
        try
        {
            using var response = await client.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return null;
        }
    }

    private static SamlMetadata? Parsed(string? document)
    {
        if (document is null)
        {
            return null;
        }

        var parsed = SamlMetadata.Parse(document);
        return parsed.IsSuccess ? parsed.Value : null;
    }
}
