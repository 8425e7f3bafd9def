namespace IdentityBroker;

/// <summary>Configuration section <c>Broker:Saml</c>: how SAML responses in Logins are checked (docs/saml.md).</summary>
public sealed class SamlOptions
{
    /// <summary>The audience AWS itself accepts; always accepted.</summary>
    public const string AmazonAudience = "urn:amazon:webservices";

    /// <summary>The recipient (ACS URL) AWS sign-in uses; accepted when <see cref="Recipients"/> is empty.</summary>
    public const string AmazonRecipient = "https://signin.aws.amazon.com/saml";

    /// <summary>Audiences accepted besides <see cref="AmazonAudience"/>.</summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>
    /// Accepted SubjectConfirmationData Recipient / Response Destination URLs. Empty means <see cref="AmazonRecipient"/>.
    /// The broker's own <c>&lt;issuer&gt;/saml</c> is always accepted as well.
    /// </summary>
    public List<string> Recipients { get; set; } = [];

    /// <summary>Leeway on NotBefore / NotOnOrAfter.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// UNSAFE: accept rsa-sha1 signatures and sha1 digests (SHA-1 collisions are practical). Off by default; a warning
    /// is logged when it is on. Only for IdPs that cannot sign with SHA-256.
    /// </summary>
    public bool AllowSha1 { get; set; }
}
