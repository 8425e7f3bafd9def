using System.Net;
using IdentityBroker.Errors;

namespace IdentityBroker.Iam.OidcProviders;

/// <summary>
/// The broker's rules for an OpenID Connect provider URL: https, or http only for a loopback host; no query, fragment
/// or user info. IAM itself accepts https only (CreateOpenIDConnectProvider, Url); loopback http is the broker's
/// allowance for local identity providers.
/// </summary>
public static class OidcProviderUrl
{
    /// <summary>Checks a URL given to CreateOpenIDConnectProvider; the returned URL is the one to store.</summary>
    public static Result<Uri> Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);

        // Real IAM answers "example.org" (no scheme) with ValidationError and exactly this text.
        if (!url.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return OidcProviderErrors.Validation("Invalid Open ID Connect Provider URL");
        }

        if (!IsAllowedScheme(uri))
        {
            return OidcProviderErrors.InvalidInput(
                "Invalid Open ID Connect Provider URL. The URL must begin with https:// "
                + "(http:// is accepted only for a loopback host: 127.0.0.0/8, ::1 or localhost).");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || url.Contains('?', StringComparison.Ordinal) || url.Contains('#', StringComparison.Ordinal))
        {
            return OidcProviderErrors.InvalidInput("Invalid Open ID Connect Provider URL. Query parameters and fragments are not allowed.");
        }

        if (uri.UserInfo.Length > 0)
        {
            return OidcProviderErrors.InvalidInput("Invalid Open ID Connect Provider URL. User information is not allowed.");
        }

        return uri;
    }

    /// <summary>https always; http only when the host is a loopback address or <c>localhost</c>.</summary>
    public static bool IsAllowedScheme(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopbackHost(uri));
    }

    /// <summary>127.0.0.0/8, ::1 or <c>localhost</c>; decided on the host alone, never on a name lookup.</summary>
    public static bool IsLoopbackHost(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        return (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
            && IPAddress.TryParse(host, out var address)
            && IPAddress.IsLoopback(address);
    }

    /// <summary><c>arn:aws:iam::&lt;account&gt;:oidc-provider/&lt;host[/path]&gt;</c>, as IAM names the resource.</summary>
    public static string Arn(string accountId, string url) => $"arn:aws:iam::{accountId}:oidc-provider/{OidcProviderUrls.WithoutScheme(url)}";

    /// <summary>An issuer compared without one trailing slash (<c>https://idp/</c> and <c>https://idp</c> are one issuer).</summary>
    public static string NormalizeIssuer(string issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return issuer.EndsWith('/') ? issuer[..^1] : issuer;
    }
}
