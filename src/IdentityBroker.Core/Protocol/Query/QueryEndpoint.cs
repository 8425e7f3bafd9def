using System.Collections.Frozen;
using IdentityBroker.Errors;
using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Protocol.Query;

/// <summary>
/// AWS Query at <c>POST /</c> (and GET with a query string, as STS allows): routes by (Version, Action) to the handlers of
/// the embedded STS and the IAM-compatible subset, verifying SigV4 first for every action that needs it and authorizing the
/// caller on the resources the action acts on.
/// </summary>
public sealed class QueryEndpoint
{
    private const string DefaultNamespace = "https://iam.amazonaws.com/doc/2010-05-08/";

    private readonly FrozenDictionary<(string Version, string Action), IQueryActionHandler> _handlers;
    private readonly FrozenDictionary<string, string> _namespaces;
    private readonly IRequestAuthenticator _authenticator;
    private readonly ICallerAuthorizer _authorizer;

    public QueryEndpoint(IEnumerable<IQueryActionHandler> handlers, IRequestAuthenticator authenticator, ICallerAuthorizer authorizer)
    {
        _authorizer = authorizer;
        var all = handlers.ToList();
        _handlers = all.SelectMany(h => h.Actions.Select(a => KeyValuePair.Create((h.Version, a), h))).ToFrozenDictionary();
        _namespaces = all.GroupBy(h => h.Version).ToFrozenDictionary(g => g.Key, g => g.First().XmlNamespace, StringComparer.Ordinal);
        _authenticator = authenticator;
    }

    public async Task<ProtocolResponse> HandleAsync(SignedRequest request, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = QueryParameters.TryParse(request.Body.Span, request.QueryString);
        var version = parameters?.GetValueOrDefault("Version");
        var ns = version is not null && _namespaces.TryGetValue(version, out var known) ? known : DefaultNamespace;
        if (parameters is null)
        {
            return QueryXml.Error(new AwsError("MalformedQueryString", "The request parameters could not be decoded."), ns, requestId);
        }

        if (!parameters.TryGetValue("Action", out var action) || string.IsNullOrEmpty(action))
        {
            return QueryXml.Error(new AwsError("MissingAction", "The request must contain the parameter Action."), ns, requestId);
        }

        if (version is null || !_handlers.TryGetValue((version, action), out var handler))
        {
            var message = $"Could not find operation {Printable(action)} for version {Printable(version ?? "NO_VERSION_SPECIFIED")}";
            return QueryXml.Error(new AwsError("InvalidAction", message), ns, requestId);
        }

        if (!handler.RequiresSignature(action))
        {
            return await handler.HandleAsync(action, new QueryRequest(parameters, request, requestId, null), cancellationToken).ConfigureAwait(false);
        }

        var verified = await _authenticator.AuthenticateAsync(request, SignatureDialect.Query, cancellationToken).ConfigureAwait(false);
        if (!verified.IsSuccess)
        {
            return QueryXml.Error(verified.Error!, ns, requestId);
        }

        // The parameters are decoded once: the resources are read from the same request the handler then runs on.
        var query = new QueryRequest(parameters, request, requestId, verified.Value);
        if (Authorization(version, action) is { } iamAction
            && await _authorizer.AuthorizeAsync(verified.Value, request, iamAction, t => handler.ResourcesAsync(action, query, t), SignatureDialect.Query, cancellationToken)
                .ConfigureAwait(false) is { } denied)
        {
            return QueryXml.Error(denied, ns, requestId);
        }

        return await handler.HandleAsync(action, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The IAM action a signed call is authorized as; STS GetCallerIdentity is never denied (as in AWS).</summary>
    private static string? Authorization(string version, string action) => version switch
    {
        "2011-06-15" => action == "GetCallerIdentity" ? null : "sts:" + action,
        _ => "iam:" + action,
    };

    private static string Printable(string value) =>
        value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? value : "(not shown)";
}
