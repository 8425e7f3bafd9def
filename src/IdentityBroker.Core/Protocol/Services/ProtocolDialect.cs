using IdentityBroker.Errors;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Protocol.Services;

/// <summary>The AWS wire protocols the broker speaks on its one port.</summary>
public enum AwsProtocol
{
    /// <summary>AWS JSON 1.1: <c>POST /</c>, the operation in <c>X-Amz-Target</c> (Cognito Identity, User Pools, CloudTrail).</summary>
    Json11,

    /// <summary>AWS Query: form parameters <c>Action</c> and <c>Version</c> (IAM, STS).</summary>
    Query,

    /// <summary>REST-JSON: the operation in the method and path (Cognito Sync).</summary>
    RestJson,
}

/// <summary>
/// How one protocol words what the edge answers itself: its error document, and the names of signature refusals.
/// Services write their own replies; the edge uses the dialect for every error it writes (body too large, signature,
/// store outage, internal error), so each protocol has exactly one error format.
/// </summary>
public sealed class ProtocolDialect
{
    /// <summary>Where a Query request is refused before its Version is known (IAM's namespace, as before there was a table of versions).</summary>
    public const string DefaultQueryNamespace = "https://iam.amazonaws.com/doc/2010-05-08/";

    public static readonly ProtocolDialect Json11 = new(AwsProtocol.Json11, null);

    public static readonly ProtocolDialect RestJson = new(AwsProtocol.RestJson, null);

    public static readonly ProtocolDialect DefaultQuery = new(AwsProtocol.Query, DefaultQueryNamespace);

    private ProtocolDialect(AwsProtocol protocol, string? xmlNamespace)
    {
        Protocol = protocol;
        XmlNamespace = xmlNamespace;
    }

    public AwsProtocol Protocol { get; }

    /// <summary>The namespace of Query error documents; null for the JSON protocols.</summary>
    public string? XmlNamespace { get; }

    /// <summary>JSON 1.1 and REST-JSON name signature refusals as JSON services do (InvalidSignatureException), Query as IAM does.</summary>
    public SignatureDialect Signature => Protocol == AwsProtocol.Query ? SignatureDialect.Query : SignatureDialect.Json;

    /// <summary>The error of a fault in the broker itself: never a stack trace, always the protocol's internal error.</summary>
    public AwsError InternalError => Protocol == AwsProtocol.Query
        ? new AwsError("InternalFailure", "An internal error occurred.", 500)
        : CognitoErrors.InternalError();

    public static ProtocolDialect Query(string xmlNamespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(xmlNamespace);
        return xmlNamespace == DefaultQueryNamespace ? DefaultQuery : new ProtocolDialect(AwsProtocol.Query, xmlNamespace);
    }

    /// <summary>The dialect used before a request is routed to a service: only its protocol is known.</summary>
    public static ProtocolDialect Unrouted(AwsProtocol protocol) => protocol switch
    {
        AwsProtocol.Json11 => Json11,
        AwsProtocol.Query => DefaultQuery,
        _ => RestJson,
    };

    /// <summary>
    /// JSON 1.1: <c>{"__type","message"}</c> in <c>application/x-amz-json-1.1</c> with <c>x-amzn-ErrorType</c>; Query: the
    /// ErrorResponse document in the service's namespace; REST-JSON: the same JSON body in <c>application/json</c> with
    /// <c>x-amzn-ErrorType</c>, which the SDKs' REST-JSON parsers read first.
    /// </summary>
    public ProtocolResponse Error(AwsError error, string requestId) => Protocol switch
    {
        AwsProtocol.Json11 => JsonReplies.Error(error, requestId),
        AwsProtocol.Query => QueryXml.Error(error, XmlNamespace!, requestId),
        _ => JsonReplies.Error(error, requestId, JsonReplies.RestContentType),
    };
}
