using System.Collections.Concurrent;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Iam.OidcProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using IdentityBroker.Observability;

namespace IdentityBroker.Federation.Jwt;

/// <summary>One fetch of a key source: its signing keys, and their key objects built once, on first use.</summary>
internal sealed class FetchedKeySet
{
    private readonly Lazy<JwsVerifier> _verifier;

    public FetchedKeySet(OpenIdConnectConfiguration configuration)
    {
        Configuration = configuration;
        SigningKeys = [.. configuration.SigningKeys];
        _verifier = new Lazy<JwsVerifier>(() => JwsVerifier.From(configuration.JsonWebKeySet));
    }

    public OpenIdConnectConfiguration Configuration { get; }

    public IReadOnlyList<SecurityKey> SigningKeys { get; }

    public JwsVerifier Verifier => _verifier.Value;
}

/// <summary>The keys of a source, or why there are none (a short reason naming the issuer or URL, never a token).</summary>
internal readonly record struct KeySetLookup(FetchedKeySet? Keys, string? Failure);

/// <summary>
/// The one cache of third-party verification keys: a JWKS found through a discovery document (generic OIDC providers,
/// Google) or at a fixed URL (Apple, Facebook Limited Login, user pools). Caching, the rate-limited refresh on an unknown
/// kid and the <see cref="TimeProvider"/> schedule are <see cref="IssuerMetadata"/>'s; fetches go through
/// <see cref="OidcDocumentRetriever"/> (https, http only for loopback) on the named client <see cref="HttpClientName"/>.
/// </summary>
/// <remarks>
/// A ConfigurationManager serves each discovery fetch and is dropped after it: in IdentityModel 8 its own refresh runs in
/// the background, so a refresh forced by an unknown kid would not reach the request that needed it, and its timers read
/// the system clock.
/// </remarks>
public sealed partial class IssuerKeyCache
{
    /// <summary>The IHttpClientFactory name of every discovery and JWKS request.</summary>
    public const string HttpClientName = "IdentityBroker.IssuerKeys";

    private const long MaxDocumentBytes = 512 * 1024;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly OidcOptions _oidc;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BrokerMetrics? _metrics;
    private readonly ConcurrentDictionary<KeySource, Lazy<IssuerMetadata>> _sources = new();
    private readonly ConcurrentDictionary<KeySource, FetchedKeySet> _sets = new();

    public IssuerKeyCache(IHttpClientFactory httpClientFactory, IOptions<BrokerOptions> options, TimeProvider time, ILogger<IssuerKeyCache>? logger = null, BrokerMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _oidc = options.Value.Oidc;
        _timeout = options.Value.Providers.RequestTimeout;
        _time = time;
        _logger = logger ?? NullLogger<IssuerKeyCache>.Instance;
        _metrics = metrics;
    }

    /// <summary>
    /// The keys of a discovery or fixed-URL source; an unknown <paramref name="keyId"/> refetches first (rate-limited).
    /// The same <see cref="FetchedKeySet"/> instance is returned for as long as the fetch is current.
    /// </summary>
    internal async ValueTask<KeySetLookup> GetAsync(KeySource source, string? keyId, CancellationToken cancellationToken)
    {
        var metadata = _sources.GetOrAdd(source, s => new Lazy<IssuerMetadata>(() => new IssuerMetadata(() => FetchAsync(s), _time, _oidc))).Value;
        var lookup = await metadata.GetAsync(keyId, cancellationToken);
        return lookup.Configuration is { } configuration ? new KeySetLookup(SetOf(source, configuration), null) : new KeySetLookup(null, lookup.Failure);
    }

    private FetchedKeySet SetOf(KeySource source, OpenIdConnectConfiguration configuration)
    {
        if (_sets.TryGetValue(source, out var set) && ReferenceEquals(set.Configuration, configuration))
        {
            return set;
        }

        set = new FetchedKeySet(configuration);
        _sets[source] = set;
        return set;
    }

    private async Task<MetadataLookup> FetchAsync(KeySource source)
    {
        var (kind, fetch) = source switch
        {
            DiscoveredJwks discovered => ("discovery", FetchDiscoveryAsync(discovered)),
            FixedJwks jwks => ("jwks", FetchJwksAsync(jwks.JwksUrl)),
            _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Not a source fetched over HTTP."),
        };
        var lookup = await fetch.ConfigureAwait(false);
        _metrics?.JwksFetched(kind, lookup.Configuration is not null);
        return lookup;
    }

    private async Task<MetadataLookup> FetchDiscoveryAsync(DiscoveredJwks source)
    {
        using var client = CreateClient();
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            source.DiscoveryUrl, new OpenIdConnectConfigurationRetriever(), new OidcDocumentRetriever(client));
        try
        {
            var configuration = await manager.GetConfigurationAsync(CancellationToken.None);

            // OpenID Connect Discovery 1.0 §4.3: the issuer in the document must be the one it was fetched for.
            if (!string.Equals(OidcProviderUrl.NormalizeIssuer(configuration.Issuer ?? string.Empty), OidcProviderUrl.NormalizeIssuer(source.Issuer), StringComparison.Ordinal))
            {
                LogIssuerMismatch(_logger, source.DiscoveryUrl);
                return new MetadataLookup(null, $"The discovery document of {source.Issuer} names a different issuer.");
            }

            return new MetadataLookup(configuration, null);
        }
        catch (Exception e) when (IsFetchFailure(e))
        {
            LogUnreachable(_logger, source.DiscoveryUrl, e.GetType().Name);
            return new MetadataLookup(null, $"Couldn't retrieve verification keys from the OpenID Connect provider {source.Issuer}.");
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
            return new MetadataLookup(null, $"Couldn't retrieve verification keys from {jwksUrl}.");
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

    [LoggerMessage(EventId = LogEvents.IssuerMismatch, Level = LogLevel.Warning, Message = "Issuer keys at {Url}: discovery document names a different issuer")]
    private static partial void LogIssuerMismatch(ILogger logger, string url);

    [LoggerMessage(EventId = LogEvents.IssuerKeysUnreachable, Level = LogLevel.Warning, Message = "Issuer keys at {Url} could not be fetched ({Reason})")]
    private static partial void LogUnreachable(ILogger logger, string url, string reason);
}
