using System.Collections.Frozen;
using IdentityBroker.Errors;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Protocol.Signing;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Protocol.Query;

/// <summary>
/// One AWS Query service version behind the edge (IAM 2010-05-08, STS 2011-06-15): the actions of its handlers. The edge
/// has decoded the parameters, routed by Version and verified SigV4 for every action that needs it; a signed action is
/// authorized here on the resources it acts on, read from the same parameters the handler then runs on.
/// </summary>
public sealed class QueryEndpoint : IAwsService
{
    private readonly FrozenDictionary<string, AwsOperation> _actions;
    private readonly string _version;

    public QueryEndpoint(AwsRoute route, IEnumerable<IQueryActionHandler> handlers, ICallerAuthorizer authorizer)
    {
        ArgumentNullException.ThrowIfNull(route);
        _version = route.Key;
        var own = handlers.Where(h => h.Version == _version).ToList();
        if (own.Count == 0 || own.Any(h => h.XmlNamespace != route.Dialect.XmlNamespace))
        {
            throw new InvalidOperationException($"Query version {_version} needs handlers, all answering in {route.Dialect.XmlNamespace}.");
        }

        var ns = route.Dialect.XmlNamespace!;
        _actions = own
            .SelectMany(h => h.Actions.Select(a => new AwsOperation(a, h.RequiresSignature(a), (call, t) => HandleAsync(h, a, ns, authorizer, call, t))))
            .ToFrozenDictionary(o => o.Name, StringComparer.Ordinal);
    }

    /// <summary>The service of one version, built from every registered handler of that version.</summary>
    public static Func<IServiceProvider, IAwsService> For(AwsRoute route) => services => new QueryEndpoint(
        route,
        services.GetServices<IQueryActionHandler>(),
        services.GetRequiredService<ICallerAuthorizer>());

    public Result<AwsOperation> Find(AwsCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return _actions.TryGetValue(call.Name, out var operation) ? operation : QueryErrors.InvalidAction(call.Name, _version);
    }

    private static async Task<ProtocolResponse> HandleAsync(
        IQueryActionHandler handler, string action, string ns, ICallerAuthorizer authorizer, AwsCall call, CancellationToken cancellationToken)
    {
        var query = new QueryRequest(call.Parameters, call.Request, call.RequestId, call.Caller);
        if (!handler.RequiresSignature(action))
        {
            return await handler.HandleAsync(action, query, cancellationToken).ConfigureAwait(false);
        }

        // The edge verifies the signature of every signed action first; reaching here without a caller is a bug.
        var caller = call.Caller ?? throw new InvalidOperationException($"{action} was called without a verified caller.");
        if (Authorization(handler.Version, action) is { } iamAction
            && await authorizer.AuthorizeAsync(caller, call.Request, iamAction, t => handler.ResourcesAsync(action, query, t), SignatureDialect.Query, cancellationToken)
                .ConfigureAwait(false) is { } denied)
        {
            return QueryXml.Error(denied, ns, call.RequestId);
        }

        return await handler.HandleAsync(action, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The IAM action a signed call is authorized as; STS GetCallerIdentity is never denied (as in AWS).</summary>
    private static string? Authorization(string version, string action) => version switch
    {
        "2011-06-15" => action == "GetCallerIdentity" ? null : "sts:" + action,
        _ => "iam:" + action,
    };
}
