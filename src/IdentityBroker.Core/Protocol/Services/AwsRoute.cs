namespace IdentityBroker.Protocol.Services;

/// <summary>
/// Where the edge finds a service: by <c>X-Amz-Target</c> prefix (JSON 1.1), by Query <c>Version</c>, or by REST path prefix.
/// </summary>
/// <param name="Service">The service's short name, as in its ARNs and signing scope (<c>cognito-identity</c>, <c>iam</c>);
/// the service label of the edge's metrics and audit events.</param>
/// <param name="Dialect">How the edge words the errors it writes for this service.</param>
/// <param name="Key">The target prefix including its final dot, the Query version, or the path prefix.</param>
public sealed record AwsRoute(string Service, ProtocolDialect Dialect, string Key)
{
    public AwsProtocol Protocol => Dialect.Protocol;

    /// <summary>A JSON 1.1 service: <c>X-Amz-Target: {prefix}{Operation}</c>, e.g. <c>AWSCognitoIdentityService.</c>.</summary>
    public static AwsRoute JsonTarget(string service, string targetPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetPrefix);
        if (!targetPrefix.EndsWith('.'))
        {
            throw new ArgumentException("A target prefix ends with the dot before the operation name.", nameof(targetPrefix));
        }

        return new AwsRoute(service, ProtocolDialect.Json11, targetPrefix);
    }

    /// <summary>An AWS Query service version, e.g. IAM's <c>2010-05-08</c> with its reply namespace.</summary>
    public static AwsRoute QueryVersion(string service, string version, string xmlNamespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);
        return new AwsRoute(service, ProtocolDialect.Query(xmlNamespace), version);
    }

    /// <summary>A REST-JSON service owning every path at or below <paramref name="pathPrefix"/>, e.g. <c>/identitypools</c>.</summary>
    public static AwsRoute RestPath(string service, string pathPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathPrefix);
        if (!pathPrefix.StartsWith('/') || pathPrefix.EndsWith('/'))
        {
            throw new ArgumentException("A path prefix starts with '/' and does not end with one, e.g. /identitypools.", nameof(pathPrefix));
        }

        return new AwsRoute(service, ProtocolDialect.RestJson, pathPrefix);
    }

    /// <summary>True when <paramref name="path"/> is the prefix itself or lies below it (<c>/identitypools</c>, <c>/identitypools/…</c>).</summary>
    public bool OwnsPath(string path) =>
        path.StartsWith(Key, StringComparison.Ordinal) && (path.Length == Key.Length || path[Key.Length] == '/');
}
