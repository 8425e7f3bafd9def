using System.Collections.Concurrent;
using IdentityBroker.Iam;
using IdentityBroker.Iam.OidcProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace IdentityBroker.Federation.Oidc;

/// <summary>Keys of an issuer, or why they could not be had; <see cref="Keys"/> and <see cref="Failure"/> are both null when the issuer is not registered.</summary>
public sealed record IssuerKeysLookup(IssuerKeys? Keys, string? Failure)
{
    /// <summary>The key objects of <see cref="Keys"/>' JWKS, built once per fetch, for <see cref="OidcLoginValidator"/>.</summary>
    internal JwsVerifier? Verifier { get; init; }
}

/// <summary>
/// Verification keys of the registered IAM OIDC providers: <c>&lt;issuer&gt;/.well-known/openid-configuration</c> and its
/// jwks_uri, loaded with <see cref="ConfigurationManager{T}"/> over the named HttpClient <see cref="HttpClientName"/>.
/// </summary>
/// <remarks>
/// One ConfigurationManager serves each fetch of an issuer and is kept (with its configuration) until the next one. Its own
/// refresh is not used: in IdentityModel 8 a refresh runs in the background, so a refresh forced by an unknown kid would
/// not reach the request that needed it, and its timers read the system clock; <see cref="IssuerMetadata"/> schedules
/// refreshes on <see cref="TimeProvider"/> instead.
/// </remarks>
public sealed partial class OidcProviderKeys : IIssuerKeySource
{
    /// <summary>The IHttpClientFactory name used for every outbound discovery and JWKS request.</summary>
    public const string HttpClientName = "IdentityBroker.OidcProviders";

    private const long MaxDocumentBytes = 512 * 1024;
    private const int MaxCachedIssuerSpellings = 1024;
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    private readonly OidcProviderDirectory _directory;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly OidcOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<IssuerMetadata>> _issuers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedKeys> _keys = new(StringComparer.Ordinal);

    public OidcProviderKeys(
        OidcProviderDirectory directory,
        IHttpClientFactory httpClientFactory,
        IOptions<BrokerOptions> options,
        TimeProvider time,
        ILogger<OidcProviderKeys>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directory = directory;
        _httpClientFactory = httpClientFactory;
        _options = options.Value.Oidc;
        _time = time;
        _logger = logger ?? NullLogger<OidcProviderKeys>.Instance;
    }

    /// <exception cref="IssuerKeysUnavailableException">The issuer is registered but its metadata or keys cannot be had.</exception>
    public async ValueTask<IssuerKeys?> GetKeysAsync(string issuer, string? keyId, CancellationToken cancellationToken)
    {
        var lookup = await LookupAsync(issuer, keyId, cancellationToken);
        return lookup.Failure is { } failure ? throw new IssuerKeysUnavailableException(failure) : lookup.Keys;
    }

    /// <summary>As <see cref="GetKeysAsync"/>, with an unreachable provider reported as a value.</summary>
    public async ValueTask<IssuerKeysLookup> LookupAsync(string issuer, string? keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var provider = await _directory.FindByIssuerAsync(issuer, cancellationToken);
        if (provider is null)
        {
            return new IssuerKeysLookup(null, null);
        }

        var lookup = await MetadataOf(provider).GetAsync(keyId, cancellationToken);
        if (lookup.Configuration is not { } configuration)
        {
            return new IssuerKeysLookup(null, lookup.Failure);
        }

        var cached = KeysOf(configuration, issuer, provider.Arn);
        return new IssuerKeysLookup(cached.Keys, null) { Verifier = cached.Verifier.Value };
    }

    /// <summary>
    /// The same <see cref="IssuerKeys"/> instance for as long as the configuration (a fetch of the JWKS), the issuer
    /// spelling and the provider stay the same: no copy of the key list per request, and callers may cache what they
    /// derive from it (e.g. validation parameters) by reference.
    /// </summary>
    private CachedKeys KeysOf(OpenIdConnectConfiguration configuration, string issuer, string providerArn)
    {
        if (_keys.TryGetValue(issuer, out var cached) && ReferenceEquals(cached.Configuration, configuration)
            && string.Equals(cached.Keys.ProviderArn, providerArn, StringComparison.Ordinal))
        {
            return cached;
        }

        var keys = new IssuerKeys(issuer, [.. configuration.SigningKeys], IsBroker: false, providerArn);
        if (_keys.Count > MaxCachedIssuerSpellings)
        {
            _keys.Clear(); // Issuers come from tokens: bound what a caller can make the broker keep.
        }

        // The RSA/ECDsa objects are built once per fetched JWKS, on first use, and shared by every request after it.
        cached = new CachedKeys(configuration, keys, new Lazy<JwsVerifier>(() => JwsVerifier.From(configuration.JsonWebKeySet)));
        _keys[issuer] = cached;
        return cached;
    }

    private IssuerMetadata MetadataOf(OidcProvider provider)
    {
        var issuer = OidcProviderUrl.NormalizeIssuer(provider.Url);
        return _issuers.GetOrAdd(issuer, i => new Lazy<IssuerMetadata>(() => new IssuerMetadata(() => FetchAsync(i), _time, _options))).Value;
    }

    private async Task<MetadataLookup> FetchAsync(string issuer)
    {
        using var client = _httpClientFactory.CreateClient(HttpClientName);
        client.Timeout = FetchTimeout;
        client.MaxResponseContentBufferSize = MaxDocumentBytes;
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            issuer + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new OidcDocumentRetriever(client));
        try
        {
            var configuration = await manager.GetConfigurationAsync(CancellationToken.None);

            // OpenID Connect Discovery 1.0 §4.3: the issuer in the document must be the one it was fetched for.
            if (!string.Equals(OidcProviderUrl.NormalizeIssuer(configuration.Issuer ?? string.Empty), issuer, StringComparison.Ordinal))
            {
                LogIssuerMismatch(_logger, issuer);
                return new MetadataLookup(null, $"The discovery document of {issuer} names a different issuer.");
            }

            return new MetadataLookup(configuration, null);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException or ArgumentException)
        {
            LogUnreachable(_logger, issuer, e.GetType().Name);
            return new MetadataLookup(null, $"Couldn't retrieve verification keys from the OpenID Connect provider {issuer}.");
        }
    }

    private sealed record CachedKeys(OpenIdConnectConfiguration Configuration, IssuerKeys Keys, Lazy<JwsVerifier> Verifier);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "OIDC provider {Issuer}: discovery document names a different issuer")]
    private static partial void LogIssuerMismatch(ILogger logger, string issuer);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "OIDC provider {Issuer}: metadata or keys could not be fetched ({Reason})")]
    private static partial void LogUnreachable(ILogger logger, string issuer, string reason);
}
