using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Protocol.Services;

/// <summary>
/// One request at the edge, as routing fills it in: the signed request and its id, then the route, the operation the
/// request names and, for a signed operation, the verified caller. What the edge observes when the call completes.
/// </summary>
public sealed class AwsCall(SignedRequest request, string requestId, AwsProtocol protocol)
{
    private static readonly IReadOnlyDictionary<string, string> EmptyParameters = new Dictionary<string, string>();

    /// <summary>A call whose route the host fixes by path (the admin API).</summary>
    public AwsCall(SignedRequest request, string requestId, AwsRoute route)
        : this(request, requestId, route?.Protocol ?? throw new ArgumentNullException(nameof(route)))
    {
        Route = route;
    }

    public SignedRequest Request => request;

    public string RequestId => requestId;

    public AwsProtocol Protocol => protocol;

    /// <summary>The service the request was routed to; null until routed (or when no service owns it).</summary>
    public AwsRoute? Route { get; internal set; }

    /// <summary>
    /// What the request asks for, as it came (untrusted; never a metric label): JSON 1.1 the target after the prefix,
    /// Query the Action, REST-JSON the path.
    /// </summary>
    public string Name { get; internal set; } = string.Empty;

    /// <summary>The decoded form (or query-string) parameters of a Query request; empty for the other protocols.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; internal set; } = EmptyParameters;

    /// <summary>The operation the service found for <see cref="Name"/>; null when routing or finding failed.</summary>
    public AwsOperation? Operation { get; internal set; }

    /// <summary>The verified signer of a signed operation; null for unsigned operations and before verification.</summary>
    public SigningPrincipal? Caller { get; internal set; }

    /// <summary>How the edge words its errors for this call: the route's dialect once routed, the protocol's before.</summary>
    public ProtocolDialect Dialect => Route?.Dialect ?? ProtocolDialect.Unrouted(protocol);
}
