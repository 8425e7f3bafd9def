using System.Collections.Frozen;
using IdentityBroker.Errors;
using IdentityBroker.Limits;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Protocol.Services;

/// <summary>
/// The protocol-independent half of the edge, in stages: route (target prefix, Query Version or REST path) → find the
/// operation → verify SigV4 when the operation needs it → run it. Every expected refusal comes back as the reply to write;
/// the HTTP host around it reads the body, builds the <see cref="SignedRequest"/> and handles faults.
/// </summary>
public sealed class AwsDispatcher
{
    private readonly (AwsRoute Route, IAwsService Service)[] _json;
    private readonly FrozenDictionary<string, (AwsRoute Route, IAwsService Service)> _query;
    private readonly (AwsRoute Route, IAwsService Service)[] _rest;
    private readonly AwsError _unknownTarget;
    private readonly IRequestAuthenticator _authenticator;
    private readonly OperationLimits? _limits;

    public AwsDispatcher(
        IEnumerable<AwsServiceRegistration> registrations, IServiceProvider services, IRequestAuthenticator authenticator, OperationLimits limits)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        ArgumentNullException.ThrowIfNull(limits);
        _authenticator = authenticator;
        _limits = limits.IsEmpty ? null : limits; // no limit configured: one null check per call
        var all = registrations.ToList();
        RejectDuplicates(all);
        var built = all.Select(r => (r.Route, Service: r.Create(services))).ToList();

        // Longest prefix first, so that no route shadows a more specific one.
        _json = [.. built.Where(s => s.Route.Protocol == AwsProtocol.Json11).OrderByDescending(s => s.Route.Key.Length)];
        _rest = [.. built.Where(s => s.Route.Protocol == AwsProtocol.RestJson).OrderByDescending(s => s.Route.Key.Length)];
        _query = built.Where(s => s.Route.Protocol == AwsProtocol.Query).ToFrozenDictionary(s => s.Route.Key, StringComparer.Ordinal);
        var targets = string.Join(" or ", _json.Select(s => s.Route.Key.TrimEnd('.')));
        _unknownTarget = CognitoErrors.UnknownOperation($"The X-Amz-Target header must name an operation of {targets}.");
    }

    public async Task<ProtocolResponse> DispatchAsync(AwsCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var routed = Route(call);
        if (!routed.IsSuccess)
        {
            return call.Dialect.Error(routed.Error!, call.RequestId);
        }

        var operation = routed.Value.Find(call);
        if (!operation.IsSuccess)
        {
            return call.Dialect.Error(operation.Error!, call.RequestId);
        }

        return await RunAsync(call, operation.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs an operation found for <paramref name="call"/>: a signed one only after SigV4 verified (the refusal worded in the
    /// call's dialect). Also the entry of endpoints whose operation the host fixes by path (the admin API).
    /// </summary>
    public async Task<ProtocolResponse> RunAsync(AwsCall call, AwsOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(operation);
        call.Operation = operation;
        if (_limits is not null && call.Route is { } route
            && await _limits.CheckAsync(route.Service, operation.Name, cancellationToken).ConfigureAwait(false) is { } throttled)
        {
            return call.Dialect.Error(throttled, call.RequestId);
        }

        if (operation.RequiresSignature && await AuthenticateAsync(call, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return call.Dialect.Error(refused, call.RequestId);
        }

        return await operation.HandleAsync(call, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The edge's signature check: verifies SigV4 against every key the broker knows, worded in the call's dialect, and
    /// records the signer in <see cref="AwsCall.Caller"/>. Null when it verified; otherwise the refusal.
    /// </summary>
    private async ValueTask<AwsError?> AuthenticateAsync(AwsCall call, CancellationToken cancellationToken)
    {
        var caller = await _authenticator.AuthenticateAsync(call.Request, call.Dialect.Signature, cancellationToken).ConfigureAwait(false);
        if (!caller.IsSuccess)
        {
            return caller.Error;
        }

        call.Caller = caller.Value;
        return null;
    }

    private Result<IAwsService> Route(AwsCall call) => call.Protocol switch
    {
        AwsProtocol.Json11 => RouteJson(call),
        AwsProtocol.Query => RouteQuery(call),
        _ => RouteRest(call),
    };

    private Result<IAwsService> RouteJson(AwsCall call)
    {
        var target = call.Request.Header("X-Amz-Target");
        if (target is not null)
        {
            foreach (var (route, service) in _json)
            {
                if (target.StartsWith(route.Key, StringComparison.Ordinal))
                {
                    call.Route = route;
                    call.Name = target[route.Key.Length..];
                    return Result<IAwsService>.Ok(service);
                }
            }
        }

        return _unknownTarget;
    }

    /// <summary>AWS Query's own checks come first, in IAM's order: decodable parameters, an Action, then a known (Version, Action).</summary>
    private Result<IAwsService> RouteQuery(AwsCall call)
    {
        var parameters = QueryParameters.TryParse(call.Request.Body.Span, call.Request.QueryString);
        var version = parameters?.GetValueOrDefault("Version");
        IAwsService? service = null;
        if (version is not null && _query.TryGetValue(version, out var known))
        {
            call.Route = known.Route; // the namespace of every error from here on is the version's
            service = known.Service;
        }

        if (parameters is null)
        {
            return new AwsError("MalformedQueryString", "The request parameters could not be decoded.");
        }

        call.Parameters = parameters;
        if (!parameters.TryGetValue("Action", out var action) || string.IsNullOrEmpty(action))
        {
            return new AwsError("MissingAction", "The request must contain the parameter Action.");
        }

        call.Name = action;
        return service is null ? QueryErrors.InvalidAction(action, version) : Result<IAwsService>.Ok(service);
    }

    private Result<IAwsService> RouteRest(AwsCall call)
    {
        var path = call.Request.Path;
        foreach (var (route, service) in _rest)
        {
            if (route.OwnsPath(path))
            {
                call.Route = route;
                call.Name = path;
                return Result<IAwsService>.Ok(service);
            }
        }

        // The host maps only the registered prefixes here, so this is a host that routed a path no service owns.
        return new AwsError("UnknownOperationException", "No service serves this path.", 404);
    }

    private static void RejectDuplicates(List<AwsServiceRegistration> all)
    {
        var twice = all.GroupBy(r => (r.Route.Protocol, r.Route.Key)).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new InvalidOperationException($"Two services are registered for the {twice.Key.Protocol} route '{twice.Key.Key}'.");
        }
    }
}
