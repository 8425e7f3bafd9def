namespace IdentityBroker.Protocol.Signing;

/// <summary>The parts of an HTTP request that SigV4 covers, free of any web framework type.</summary>
/// <param name="Method">HTTP method, upper case.</param>
/// <param name="Path">The raw (still percent-encoded) path, e.g. <c>/</c>.</param>
/// <param name="QueryString">The raw query string without the leading <c>?</c>, or empty.</param>
/// <param name="Headers">Every request header as received; names are case-insensitive.</param>
/// <param name="Body">The request body bytes.</param>
public sealed record SignedRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body)
{
    /// <summary>The client's IP address (<c>aws:SourceIp</c> when a policy is evaluated); null when unknown.</summary>
    public string? SourceIp { get; init; }

    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}

/// <summary>Who signed a request: an admin key, or temporary credentials issued by the embedded STS.</summary>
/// <param name="AccessKeyId">The access key id from the credential scope.</param>
/// <param name="SecretAccessKey">The secret to verify the signature with.</param>
/// <param name="Arn">The caller's ARN, e.g. <c>arn:aws:iam::000000000000:root</c> or an assumed-role ARN.</param>
/// <param name="UserId">The caller's user id as GetCallerIdentity reports it.</param>
/// <param name="IsAdmin">True for the broker's admin (developer) keys.</param>
public sealed record SigningPrincipal(string AccessKeyId, string SecretAccessKey, string Arn, string UserId, bool IsAdmin)
{
    /// <summary>Temporary credentials past their expiry or revoked: a correct signature with them is refused as an expired token.</summary>
    public bool Expired { get; init; }
}

/// <summary>Finds the secret for an access key id (and session token for temporary credentials).</summary>
public interface ISigningPrincipalSource
{
    ValueTask<SigningPrincipal?> FindAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken);
}

/// <summary>Why a signature was refused; each protocol maps these to its own AWS error names.</summary>
public enum SignatureFailure
{
    /// <summary>No Authorization header and no signed query string.</summary>
    Missing,

    /// <summary>Authorization present but malformed (missing Credential, SignedHeaders or Signature, bad scope).</summary>
    Incomplete,

    /// <summary>The access key id (or session token) is not known.</summary>
    UnknownAccessKey,

    /// <summary>The signature does not match.</summary>
    Mismatch,

    /// <summary>X-Amz-Date is more than 15 minutes away from now.</summary>
    Expired,

    /// <summary>Correctly signed with temporary credentials that expired or were revoked.</summary>
    ExpiredToken,
}

public sealed record SignatureVerification(SigningPrincipal? Principal, SignatureFailure? Failure, string Message)
{
    public bool IsValid => Principal is not null;
}
