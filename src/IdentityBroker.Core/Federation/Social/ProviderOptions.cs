namespace IdentityBroker.Federation.Social;

/// <summary>
/// Section <c>Broker:Providers</c>: the endpoints of the public providers and of user-pool issuers. Every default is the
/// provider's real https endpoint; overrides exist for tests, staging IdPs and air-gapped sites and must be https (http
/// only on a loopback host), checked at start-up by <see cref="ProvidersOptionsValidation"/>.
/// </summary>
public sealed class ProvidersOptions
{
    /// <summary>Timeout of one outbound call (discovery, JWKS, Graph, token-info, profile).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public GoogleProviderOptions Google { get; set; } = new();

    public AppleProviderOptions Apple { get; set; } = new();

    public FacebookProviderOptions Facebook { get; set; } = new();

    public AmazonProviderOptions Amazon { get; set; } = new();

    public UserPoolProviderOptions UserPools { get; set; } = new();
}

public sealed class GoogleProviderOptions
{
    public string DiscoveryUrl { get; set; } = "https://accounts.google.com/.well-known/openid-configuration";

    /// <summary>The issuer of the discovery document; tokens may carry it with or without its scheme, as Google's do.</summary>
    public string Issuer { get; set; } = "https://accounts.google.com";

    /// <summary>User-pool federation (Google as a pool's IdP): the authorization, token and userinfo endpoints.</summary>
    public string AuthorizeUrl { get; set; } = "https://accounts.google.com/o/oauth2/v2/auth";

    public string TokenUrl { get; set; } = "https://www.googleapis.com/oauth2/v4/token";

    public string AttributesUrl { get; set; } = "https://people.googleapis.com/v1/people/me?personFields=";
}

public sealed class AppleProviderOptions
{
    public string JwksUrl { get; set; } = "https://appleid.apple.com/auth/keys";

    public string Issuer { get; set; } = "https://appleid.apple.com";

    /// <summary>User-pool federation (Sign in with Apple as a pool's IdP): the authorization and token endpoints.</summary>
    public string AuthorizeUrl { get; set; } = "https://appleid.apple.com/auth/authorize";

    public string TokenUrl { get; set; } = "https://appleid.apple.com/auth/token";
}

public sealed class FacebookProviderOptions
{
    /// <summary>Base of the Graph API; the broker calls <c>&lt;base&gt;/debug_token</c>.</summary>
    public string GraphBaseUrl { get; set; } = "https://graph.facebook.com";

    /// <summary>App secret per app id (<c>Broker:Providers:Facebook:AppSecrets:&lt;app id&gt;</c>); never logged.</summary>
    public Dictionary<string, string> AppSecrets { get; set; } = new(StringComparer.Ordinal);

    public string LimitedLoginIssuer { get; set; } = "https://www.facebook.com";

    public string LimitedLoginJwksUrl { get; set; } = "https://limited.facebook.com/.well-known/oauth/openid/jwks/";

    /// <summary>User-pool federation (Facebook as a pool's IdP): the login dialog; tokens and profile come from the Graph API.</summary>
    public string DialogBaseUrl { get; set; } = "https://www.facebook.com";

    /// <summary>The Graph API version a pool's Facebook provider uses when its api_version detail is left out.</summary>
    public string ApiVersion { get; set; } = "v17.0";
}

public sealed class AmazonProviderOptions
{
    public string TokenInfoUrl { get; set; } = "https://api.amazon.com/auth/o2/tokeninfo";

    public string ProfileUrl { get; set; } = "https://api.amazon.com/user/profile";

    /// <summary>User-pool federation (Login with Amazon as a pool's IdP): the authorization and token endpoints.</summary>
    public string AuthorizeUrl { get; set; } = "https://www.amazon.com/ap/oa";

    public string TokenUrl { get; set; } = "https://api.amazon.com/auth/o2/token";
}

public sealed class UserPoolProviderOptions
{
    /// <summary>
    /// The user-pool issuer without the pool id; <c>{region}</c> is replaced by the region of the ProviderName. A token of
    /// <c>cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc</c> must carry <c>iss</c> = <c>&lt;base&gt;/eu-west-1_abc</c>.
    /// </summary>
    public string IssuerBase { get; set; } = "https://cognito-idp.{region}.amazonaws.com";
}
