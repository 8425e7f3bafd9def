using IdentityBroker.Iam;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tokens;

/// <summary>
/// The broker as an OpenID issuer: its <c>iss</c>, and the IAM OIDC-provider ARN AWS gives it once registered.
/// Set once at start-up (from <c>Broker:Issuer</c>, else the first listen URL, which is only known when the server runs).
/// </summary>
public sealed class BrokerIssuer
{
    private readonly string _accountId;
    private volatile string? _url;

    public BrokerIssuer(IOptions<BrokerOptions> brokerOptions)
    {
        ArgumentNullException.ThrowIfNull(brokerOptions);
        var options = brokerOptions.Value;
        _accountId = options.AccountId;
        if (!string.IsNullOrEmpty(options.Issuer))
        {
            Resolve(options.Issuer);
        }
    }

    public string Url => _url ?? throw new InvalidOperationException("The broker's issuer URL is not known before the server listens.");

    public bool IsResolved => _url is not null;

    /// <summary>The issuer without scheme: the IAM condition-key prefix (<c>&lt;host/path&gt;:aud</c>).</summary>
    public string HostPath => OidcProviderUrls.WithoutScheme(Url);

    public string ProviderArn => $"arn:aws:iam::{_accountId}:oidc-provider/{HostPath}";

    /// <summary>Sets the issuer unless one was configured; a trailing slash is dropped so <c>iss</c> is stable.</summary>
    public void Resolve(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        _url ??= url.TrimEnd('/');
    }

    public bool Matches(string issuer) =>
        _url is { } url && string.Equals(url, issuer.TrimEnd('/'), StringComparison.Ordinal);
}
