using IdentityBroker.Audit;
using IdentityBroker.Errors;
using IdentityBroker.Observability;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace IdentityBroker.Server.Hosting;

/// <summary>
/// The one HTTP edge of every AWS protocol and the admin API. For each exchange, in order: a large-body slot when the body
/// needs one → read the body within the limit → readiness → build the <see cref="SignedRequest"/> → respond (route, signature,
/// operation: <see cref="AwsDispatcher"/>) → tell the call observers → write. Client aborts, store outages and faults are
/// handled here once, each error worded in the call's <see cref="ProtocolDialect"/>.
/// </summary>
internal sealed partial class HttpEdge(
    AwsDispatcher dispatcher,
    BrokerReadiness readiness,
    StoreOutageLog outages,
    ClientAborts aborts,
    ProtocolBodies bodies,
    IEnumerable<ICallObserver> observers,
    TimeProvider time,
    ILogger<HttpEdge> logger)
{
    /// <summary>AWS's common error for a service that cannot answer now: SDKs retry it.</summary>
    private static readonly AwsError Unavailable = new("ServiceUnavailable", "The service is unavailable. Please try again later.", 503);

    private readonly ICallObserver[] _observers = [.. observers];
    private readonly bool _wantsDetails = observers.Any(o => o.WantsDetails);
    private readonly Func<AwsCall, CancellationToken, Task<ProtocolResponse>> _dispatch = dispatcher.DispatchAsync;

    public AwsDispatcher Dispatcher => dispatcher;

    /// <summary><c>/</c>: JSON 1.1 when the request names a target or sends AWS JSON, AWS Query otherwise.</summary>
    public Task ServeRootAsync(HttpContext context)
    {
        var protocol = IsJson(context.Request) ? AwsProtocol.Json11 : AwsProtocol.Query;
        return ServeAsync(context, protocol, null, ProtocolBodies.LimitFor(protocol, context.Request.ContentLength), _dispatch);
    }

    /// <summary>A path a REST-JSON service registered.</summary>
    public Task ServeRestAsync(HttpContext context) =>
        ServeAsync(context, AwsProtocol.RestJson, null, ProtocolBodies.LimitFor(AwsProtocol.RestJson, context.Request.ContentLength), _dispatch);

    /// <summary>One exchange. <paramref name="route"/> is set when the host's path fixes it (the admin API); else the dispatcher routes.</summary>
    public async Task ServeAsync(
        HttpContext context, AwsProtocol protocol, AwsRoute? route, int limit, Func<AwsCall, CancellationToken, Task<ProtocolResponse>> respond)
    {
        var started = time.GetTimestamp();
        var requestId = Guid.NewGuid().ToString("D");
        if (!ProtocolBodies.IsLarge(context.Request.ContentLength, limit))
        {
            await ExchangeAsync(context, protocol, route, limit, respond, requestId, started);
            return;
        }

        if (!bodies.TryEnterLarge())
        {
            // Only Query bodies are large (see ProtocolBodies): the Query writer words it Throttling, as IAM and STS; SDKs retry it.
            var throttled = CognitoErrors.TooManyRequests(TimeSpan.FromSeconds(1));
            await FinishAsync(context, null, route, (route?.Dialect ?? ProtocolDialect.Unrouted(protocol)).Error(throttled, requestId), requestId, started);
            return;
        }

        try
        {
            await ExchangeAsync(context, protocol, route, limit, respond, requestId, started);
        }
        finally
        {
            bodies.ExitLarge();
        }
    }

    private async Task ExchangeAsync(
        HttpContext context, AwsProtocol protocol, AwsRoute? route, int limit, Func<AwsCall, CancellationToken, Task<ProtocolResponse>> respond,
        string requestId, long started)
    {
        byte[]? body;
        try
        {
            body = await ProtocolBodies.ReadAsync(context, limit);
        }
        catch (Exception e) when (ClientAborts.IsClientEvent(e))
        {
            aborts.End(context, requestId, e);
            return;
        }

        var dialect = route?.Dialect ?? ProtocolDialect.Unrouted(protocol);
        if (body is null)
        {
            var tooLarge = new AwsError("RequestEntityTooLargeException", $"The request body exceeds {limit} bytes.", 413);
            await FinishAsync(context, null, route, dialect.Error(tooLarge, requestId), requestId, started);
            return;
        }

        if (!readiness.IsStateLoaded)
        {
            // The store was down at start: no signing keys yet. The same answer as when the store goes away later.
            outages.Refused(requestId, "The start-up state is not loaded yet (the store did not answer).");
            await FinishAsync(context, null, route, dialect.Error(Unavailable, requestId), requestId, started);
            return;
        }

        var request = ToSignedRequest(context, body);
        var call = route is null ? new AwsCall(request, requestId, protocol) : new AwsCall(request, requestId, route);
        var capture = _wantsDetails ? CallAuditScope.Begin() : null;
        IdentityBroker.Mapping.Expressions.ExpressionRequestScope.Begin(request.SourceIp, context.Request.Headers.UserAgent.FirstOrDefault());
        if (await RespondAsync(context, call, respond) is { } response)
        {
            await FinishAsync(context, call, route, response, requestId, started, capture);
        }
    }

    /// <summary>The reply to write, or null when the client aborted the request while it was being served.</summary>
    private async Task<ProtocolResponse?> RespondAsync(HttpContext context, AwsCall call, Func<AwsCall, CancellationToken, Task<ProtocolResponse>> respond)
    {
        try
        {
            return await respond(call, context.RequestAborted);
        }
        catch (OperationCanceledException e) when (context.RequestAborted.IsCancellationRequested)
        {
            aborts.End(context, call.RequestId, e);
            return null;
        }
        catch (StoreUnavailableException e)
        {
            // Not a bug: the store is down, slow or locked. AWS's common 503 error tells SDKs to retry; no stack trace.
            outages.Refused(call.RequestId, e.Message);
            return call.Dialect.Error(Unavailable, call.RequestId);
        }
        catch (Exception e)
        {
            // Programmer errors only: the caller gets the protocol's internal error, never a stack trace; the log gets the exception.
            LogUnhandled(logger, e, call.RequestId);
            return call.Dialect.Error(call.Dialect.InternalError, call.RequestId);
        }
    }

    /// <summary>The one place each completed call is observed (metrics now; audit events later), then written.</summary>
    private async Task FinishAsync(
        HttpContext context, AwsCall? call, AwsRoute? route, ProtocolResponse response, string requestId, long started, CallAuditCapture? capture = null)
    {
        if (_observers.Length > 0)
        {
            var details = _wantsDetails ? CallAuditDetails.From(context, call, response, capture) : null;
            var completed = new CallCompleted(
                call?.Route?.Service ?? route?.Service ?? CallCompleted.Unrouted,
                call?.Operation?.Name ?? CallCompleted.Unrouted,
                call?.Caller?.AccessKeyId,
                response.StatusCode,
                response.ErrorType,
                time.GetElapsedTime(started),
                requestId,
                call?.Request.SourceIp ?? SourceIp(context.Connection.RemoteIpAddress)) { Details = details };
            foreach (var observer in _observers)
            {
                observer.OnCallCompleted(in completed);
            }

            if (details?.ReplyHold is { } hold && !await HeldAsync(hold, requestId))
            {
                // The record of an issuance could not be made durable: no credentials leave without their record.
                response = (call?.Dialect ?? route?.Dialect ?? ProtocolDialect.Unrouted(AwsProtocol.Json11)).Error(Unavailable, requestId);
            }
        }

        try
        {
            await WriteAsync(context.Response, response);
        }
        catch (Exception e) when (ClientAborts.IsClientEvent(e))
        {
            aborts.End(context, requestId, e);
        }
    }

    private async Task<bool> HeldAsync(Task hold, string requestId)
    {
        try
        {
            await hold;
            return true;
        }
        catch (Exception e) when (e is StoreUnavailableException or OperationCanceledException or InvalidOperationException)
        {
            outages.Refused(requestId, "The audit record of a credential issuance could not be written: " + e.Message);
            return false;
        }
    }

    private static bool IsJson(HttpRequest request) =>
        !Microsoft.Extensions.Primitives.StringValues.IsNullOrEmpty(request.Headers["X-Amz-Target"])
        || (request.ContentType?.StartsWith("application/x-amz-json", StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>The one conversion from HTTP to what SigV4 covers: the raw path and query string as the client sent them.</summary>
    private static SignedRequest ToSignedRequest(HttpContext context, byte[] body)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? rawTarget : rawTarget[..q];
        var queryString = q < 0 ? string.Empty : rawTarget[(q + 1)..];
        var headers = new List<KeyValuePair<string, string>>(context.Request.Headers.Count);
        foreach (var (name, values) in context.Request.Headers)
        {
            headers.Add(new(name, values.ToString()));
        }

        return new SignedRequest(context.Request.Method, path, queryString, headers, body) { SourceIp = SourceIp(context.Connection.RemoteIpAddress) };
    }

    /// <summary>aws:SourceIp: the peer's address (IPv4 clients on a dual-stack socket as IPv4, as policies name them).</summary>
    private static string? SourceIp(System.Net.IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private static async Task WriteAsync(HttpResponse http, ProtocolResponse response)
    {
        http.StatusCode = response.StatusCode;
        http.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        http.ContentLength = response.Body.Length;
        await http.Body.WriteAsync(response.Body);
    }

    [LoggerMessage(EventId = LogEvents.UnhandledError, Level = LogLevel.Error, Message = "Unhandled error in request {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestId);
}
