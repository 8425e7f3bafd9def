namespace IdentityBroker.Iam;

/// <summary>An IAM role known to the embedded STS.</summary>
public sealed record IamRole
{
    public required string RoleName { get; init; }

    public required string RoleId { get; init; }

    public required string Arn { get; init; }

    public string Path { get; init; } = "/";

    public required string AssumeRolePolicyDocument { get; init; }

    public string? Description { get; init; }

    /// <summary>Seconds; 3,600 to 43,200 as in IAM.</summary>
    public int MaxSessionDuration { get; init; } = 3600;

    public DateTimeOffset CreateDate { get; init; }

    /// <summary>Inline permission policies by name (PutRolePolicy).</summary>
    public IReadOnlyDictionary<string, string> InlinePolicies { get; init; } = new Dictionary<string, string>();
}

/// <summary>An IAM identity provider (OpenID Connect or SAML): named by its ARN, tagged as IAM resources are.</summary>
public interface IIamProvider
{
    string Arn { get; }

    IReadOnlyDictionary<string, string> Tags { get; }
}

/// <summary>An IAM OpenID Connect identity provider: whose tokens a pool and the STS accept.</summary>
public sealed record OidcProvider : IIamProvider
{
    public required string Arn { get; init; }

    /// <summary>The issuer URL as registered, with its scheme (https, or http for loopback hosts only).</summary>
    public required string Url { get; init; }

    public IReadOnlyList<string> ClientIds { get; init; } = [];

    public IReadOnlyList<string> Thumbprints { get; init; } = [];

    /// <summary>IAM tags (CreateOpenIDConnectProvider Tags); keys are unique ignoring case, as in IAM.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public DateTimeOffset CreateDate { get; init; }

    /// <summary>The Logins key and IAM condition-key prefix: the URL without its scheme.</summary>
    public string ProviderKey => OidcProviderUrls.WithoutScheme(Url);
}

public static class OidcProviderUrls
{
    public static string WithoutScheme(string url)
    {
        var i = url.IndexOf("://", StringComparison.Ordinal);
        var rest = i >= 0 ? url[(i + 3)..] : url;
        return rest.TrimEnd('/');
    }
}

/// <summary>An IAM SAML 2.0 identity provider (CreateSAMLProvider): the IdP's metadata, whose signing certificates and entityID the broker trusts.</summary>
public sealed record SamlProvider : IIamProvider
{
    /// <summary><c>arn:aws:iam::&lt;account&gt;:saml-provider/&lt;name&gt;</c>.</summary>
    public required string Arn { get; init; }

    public required string Name { get; init; }

    /// <summary>The metadata document exactly as uploaded (GetSAMLProvider returns it unchanged).</summary>
    public required string MetadataDocument { get; init; }

    /// <summary>IAM's SAMLProviderUUID: upper-case letters and digits, 22–64 characters.</summary>
    public required string Uuid { get; init; }

    public DateTimeOffset CreateDate { get; init; }

    /// <summary>The metadata's validUntil, or the broker's default when the metadata has none.</summary>
    public DateTimeOffset ValidUntil { get; init; }

    /// <summary>IAM tags; keys are unique ignoring case, as in IAM.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
