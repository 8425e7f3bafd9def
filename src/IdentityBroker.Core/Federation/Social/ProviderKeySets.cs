using System.Collections.Concurrent;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Iam.OidcProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Federation.Social;

/// <summary>
/// Verification keys of the public providers and user pools, fetched from a discovery document (Google) or straight from
/// a JWKS URL (Apple, Facebook Limited Login, user pools). Caching, the rate-limited refresh on an unknown kid and the
/// <see cref="TimeProvider"/> schedule are <see cref="IssuerMetadata"/>'s, shared with the generic OIDC providers; fetches
/// go through <see cref="OidcDocumentRetriever"/> (https, http only for loopback) on the named client
/// <see cref="HttpClientName"/>.
/// </summary>
public sealed partial class ProviderKeySets
{
    /// <summary>The IHttpClientFactory name of every outbound call to a public provider (keys and token APIs).</summary>
    public const string HttpClientName = "IdentityBroker.SocialProviders";

    private const long MaxDocumentBytes = 512 * 1024;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly OidcOptions _oidc;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<IssuerMetadata>> _sources = new(StringComparer.Ordinal);

    public ProviderKeySets(IHttpClientFactory httpClientFactory, IOptions<BrokerOptions> options, TimeProvider time, ILogger<ProviderKeySets>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _oidc = options.Value.Oidc;
        _timeout = options.Value.Providers.RequestTimeout;
        _time = time;
        _logger = logger ?? NullLogger<ProviderKeySets>.Instance;
    }

    /// <summary>Keys named by the discovery document at <paramref name="discoveryUrl"/>, whose issuer must be <paramref name="issuer"/>.</summary>
    internal Task<KeySetLookup> FromDiscoveryAsync(string discoveryUrl, string issuer, string? keyId, CancellationToken cancellationToken) =>
        LookupAsync("discovery " + discoveryUrl, () => FetchDiscoveryAsync(discoveryUrl, issuer), keyId, cancellationToken);

    /// <summary>Keys of the JWK Set at <paramref name="jwksUrl"/>.</summary>
    internal Task<KeySetLookup> FromJwksAsync(string jwksUrl, string? keyId, CancellationToken cancellationToken) =>
        LookupAsync("jwks " + jwksUrl, () => FetchJwksAsync(jwksUrl), keyId, cancellationToken);

    private async Task<KeySetLookup> LookupAsync(string source, Func<Task<MetadataLookup>> fetch, string? keyId, CancellationToken cancellationToken)
    {
        var metadata = _sources.GetOrAdd(source, _ => new Lazy<IssuerMetadata>(() => new IssuerMetadata(fetch, _time, _oidc))).Value;
        var lookup = await metadata.GetAsync(keyId, cancellationToken);
        return lookup.Configuration is { } configuration
            ? new KeySetLookup([.. configuration.SigningKeys], null)
            : new KeySetLookup(null, lookup.Failure ?? "no keys");
    }

    private async Task<MetadataLookup> FetchDiscoveryAsync(string discoveryUrl, string issuer)
    {
        using var client = CreateClient();
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(discoveryUrl, new OpenIdConnectConfigurationRetriever(), new OidcDocumentRetriever(client));
        try
        {
            var configuration = await manager.GetConfigurationAsync(CancellationToken.None);

            // OpenID Connect Discovery 1.0 §4.3: the document's issuer must be the one expected.
            if (!string.Equals(OidcProviderUrl.NormalizeIssuer(configuration.Issuer ?? string.Empty), OidcProviderUrl.NormalizeIssuer(issuer), StringComparison.Ordinal))
            {
                LogIssuerMismatch(_logger, discoveryUrl);
                return new MetadataLookup(null, "discovery document names a different issuer");
            }

            return new MetadataLookup(configuration, null);
        }
        catch (Exception e) when (IsFetchFailure(e))
        {
            LogUnreachable(_logger, discoveryUrl, e.GetType().Name);
            return new MetadataLookup(null, "keys unreachable");
        }
    }

    private async Task<MetadataLookup> FetchJwksAsync(string jwksUrl)
    {
        using var client = CreateClient();
        try
        {
            var json = await new OidcDocumentRetriever(client).GetDocumentAsync(jwksUrl, CancellationToken.None);
            var configuration = new OpenIdConnectConfiguration { JsonWebKeySet = new JsonWebKeySet(json) };
            foreach (var key in configuration.JsonWebKeySet.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }

            return new MetadataLookup(configuration, null);
        }
        catch (Exception e) when (IsFetchFailure(e))
        {
            LogUnreachable(_logger, jwksUrl, e.GetType().Name);
            return new MetadataLookup(null, "keys unreachable");
        }
    }

    private HttpClient CreateClient()
    {
        var client = _httpClientFactory.CreateClient(HttpClientName);
        client.Timeout = _timeout;
        client.MaxResponseContentBufferSize = MaxDocumentBytes;
        return client;
    }

    private static bool IsFetchFailure(Exception e) =>
        e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException or ArgumentException
            or System.Text.Json.JsonException;

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Provider keys at {Url}: discovery document names a different issuer")]
    private static partial void LogIssuerMismatch(ILogger logger, string url);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Provider keys at {Url} could not be fetched ({Reason})")]
    private static partial void LogUnreachable(ILogger logger, string url, string reason);
}

/// <summary>The keys of a source, or why there are none (a short reason, never a token).</summary>
internal sealed record KeySetLookup(IReadOnlyList<SecurityKey>? Keys, string? Failure);
