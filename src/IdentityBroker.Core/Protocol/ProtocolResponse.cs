namespace IdentityBroker.Protocol;

/// <summary>A finished reply of any AWS protocol, written to HTTP by the host as it is.</summary>
public sealed record ProtocolResponse(
    int StatusCode,
    string ContentType,
    ReadOnlyMemory<byte> Body,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>The AWS error code of an error reply (e.g. <c>NotAuthorizedException</c>), for the edge's metrics and audit; null on success.</summary>
    public string? ErrorType { get; init; }
}
