using IdentityBroker.Federation.Social;
using IdentityBroker.Storage;
using IdentityBroker.Sts;

namespace IdentityBroker;

/// <summary>Configuration section <c>Broker</c> (shared/DESIGN.md, "Configuration"). Defaults are the embedded, safe ones.</summary>
public sealed class BrokerOptions
{
    public const string SectionName = "Broker";

    /// <summary>The generated admin key and the demo pool's id; the SQLite store's file too (its own options read the same key).</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// <c>sqlite</c> (embedded, one node) or <c>redis</c>, in any case. Each store binds its own options
    /// (<c>SqliteStoreOptions</c>, <c>RedisStoreOptions</c> from <c>Broker:Redis</c>) in its <c>AddXStore</c>.
    /// </summary>
    public StoreKind Store { get; set; } = StoreKind.Sqlite;

    public string Region { get; set; } = "us-east-1";

    public string AccountId { get; set; } = "000000000000";

    /// <summary>The <c>iss</c> of the broker's OpenID tokens; defaults to the first listen URL.</summary>
    public string? Issuer { get; set; }

    /// <summary>Create a demo pool with guest access and two demo roles when the store has no pool.</summary>
    public bool SeedDemoPool { get; set; } = true;

    public AdminOptions Admin { get; set; } = new();

    public ConsoleOptions Console { get; set; } = new();

    public StsOptions Sts { get; set; } = new();

    public OidcOptions Oidc { get; set; } = new();

    public ProvidersOptions Providers { get; set; } = new();
    public SamlOptions Saml { get; set; } = new();
    public TokenOptions Tokens { get; set; } = new();

    public HttpOptions Http { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();
}

/// <summary>Section <c>Broker:Metrics</c>: <c>GET /metrics</c> in Prometheus text (docs/metrics.md).</summary>
public sealed class MetricsOptions
{
    /// <summary>The loopback and private ranges: a Prometheus on the same host or network scrapes, the internet does not.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedNetworks =
        ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    /// <summary>Serve <c>/metrics</c> and collect the series; when false nothing listens and the route does not exist.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// CIDR ranges whose clients may scrape (the address as policies see it: behind Broker:Http:KnownProxies, the forwarded
    /// one); others get 403. Null: <see cref="DefaultAllowedNetworks"/>. <c>0.0.0.0/0</c> and <c>::/0</c> open it to all.
    /// </summary>
    public string[]? AllowedNetworks { get; set; }

    /// <summary>Distinct values kept per label (pool, role, error type); any further value is reported as <c>other</c>.</summary>
    public int MaxLabelValues { get; set; } = 200;

    /// <summary>The ranges in force, each entry possibly a comma-separated list (handy in an environment variable).</summary>
    public IEnumerable<string> EffectiveAllowedNetworks() =>
        (AllowedNetworks ?? [.. DefaultAllowedNetworks])
            .SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>
/// Section <c>Broker:Http</c>: the limits that keep connections from exhausting the process's file descriptors and
/// memory. Every connection holds a descriptor; the default connection limit is derived from RLIMIT_NOFILE at start.
/// </summary>
public sealed class HttpOptions
{
    /// <summary>
    /// Open client connections at most; more are accepted and closed at once. Null: derived from the descriptor limit
    /// (what is left after a reserve for the runtime, the store, outbound HTTP and files), at most 10,000.
    /// </summary>
    public long? MaxConcurrentConnections { get; set; }

    /// <summary>Connections upgraded to another protocol (WebSockets…); the broker serves none, so none by default.</summary>
    public long MaxConcurrentUpgradedConnections { get; set; }

    /// <summary>
    /// How long a connection may stay open with no request in progress (before its first request or between two): then
    /// it is closed. Keep it above a load balancer's idle timeout (AWS ALB: 60 s), so that the balancer closes first.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>How long a client may take to send a request's headers once it started.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>Bytes of the request line and headers together.</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;
}

public sealed class TokenOptions
{
    /// <summary>
    /// Algorithm of the broker's own OpenID tokens: <c>RS512</c> (Cognito's) or <c>ES256</c> (an ECDSA P-256 sign costs
    /// a small fraction of an RSA-2048 one). Changing it adds a key of the new kind; older keys stay published.
    /// </summary>
    public string Algorithm { get; set; } = "RS512";

    /// <summary>
    /// Days after which a new signing key replaces the current one (0: only on demand, <c>POST /admin/api/keys/rotate</c>).
    /// The replaced key stays in the JWKS until every token it signed has expired (docs/revocation.md).
    /// </summary>
    public int RotationDays { get; set; } = 90;

    /// <summary>
    /// Login and web identity tokens whose verified signatures are remembered, keyed by the SHA-256 of the whole token, each
    /// until its exp (0: off). 10,000 entries take about 2 MB and hold every token of a few minutes of sign-ins, which is
    /// what repeats: GetId and GetCredentialsForIdentity of one sign-in, an SDK refreshing credentials with the same token
    /// (docs/performance.md, "The verified-token cache").
    /// </summary>
    public int VerifiedTokenCacheSize { get; set; } = 10_000;
}

public sealed class AdminOptions
{
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }
}

public sealed class StsOptions
{
    /// <summary><c>embedded</c> (the broker's own STS) or <c>aws</c> (AWSSDK.SecurityToken against <see cref="ServiceUrl"/> or AWS), in any case.</summary>
    public StsMode Mode { get; set; } = StsMode.Embedded;

    /// <summary>The STS endpoint. In embedded mode defaults to the broker's own URL; in aws mode to the regional AWS endpoint.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>
    /// Embedded mode only: call the embedded STS in-process (the default: it is the broker's own STS, reached without the
    /// loopback HTTP hop; same checks) or, when false, over HTTP at <see cref="ServiceUrl"/> or the broker's own address.
    /// </summary>
    public bool InProcess { get; set; } = true;
}

public sealed class OidcOptions
{
    /// <summary>Clock skew allowed on exp/nbf/iat of third-party tokens.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long discovery documents and JWKS are cached before a background refresh.</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>At most one forced refresh per issuer in this interval when a token names an unknown kid.</summary>
    public TimeSpan UnknownKeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The web console at /console (docs/console.md).</summary>
public sealed class ConsoleOptions
{
    /// <summary>A console session unused for this long is signed out.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
