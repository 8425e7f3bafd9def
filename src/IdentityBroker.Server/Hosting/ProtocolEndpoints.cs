using IdentityBroker.Errors;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace IdentityBroker.Server.Hosting;

/// <summary>The HTTP edge of the AWS protocols: turns a request into a <see cref="SignedRequest"/> and writes the reply as it is.</summary>
internal static partial class ProtocolEndpoints
{
    public static void MapProtocolEndpoints(this WebApplication app)
    {
        // The handlers are singletons: resolved once, on the first request (not at start-up, where options validation
        // must report first), instead of through a request service scope on every call as delegate parameters would be.
        var services = app.Services;
        Handlers? handlers = null;
        RequestDelegate handle = context => HandleAsync(context, handlers ??= Handlers.From(services));
        app.MapPost("/", handle);
        app.MapGet("/", handle);
    }

    private static async Task HandleAsync(HttpContext context, Handlers handlers)
    {
        var requestId = Guid.NewGuid().ToString("D");
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var isJson = target.Length > 0
            || (context.Request.ContentType?.StartsWith("application/x-amz-json", StringComparison.OrdinalIgnoreCase) ?? false);
        if (!ProtocolBodies.IsLarge(isJson, context.Request.ContentLength))
        {
            await ServeAsync(context, handlers, target, isJson, requestId);
            return;
        }

        if (!handlers.Bodies.TryEnterLarge())
        {
            await WriteAsync(context, handlers, Throttled(requestId), requestId);
            return;
        }

        try
        {
            await ServeAsync(context, handlers, target, isJson, requestId);
        }
        finally
        {
            handlers.Bodies.ExitLarge();
        }
    }

    private static async Task ServeAsync(HttpContext context, Handlers handlers, string target, bool isJson, string requestId)
    {
        var limit = ProtocolBodies.LimitFor(isJson, context.Request.ContentLength);
        byte[]? body;
        try
        {
            body = await ProtocolBodies.ReadAsync(context, limit);
        }
        catch (Exception e) when (ClientAborts.IsClientEvent(e))
        {
            handlers.Aborts.End(context, requestId, e);
            return;
        }

        var response = body is null
            ? TooLarge(isJson, limit, requestId)
            : await RespondAsync(context, handlers, target, isJson, body, requestId);
        if (response is not null)
        {
            await WriteAsync(context, handlers, response, requestId);
        }
    }

    /// <summary>The reply to write, or null when the client aborted the request while it was being served.</summary>
    private static async Task<ProtocolResponse?> RespondAsync(HttpContext context, Handlers handlers, string target, bool isJson, byte[] body, string requestId)
    {
        try
        {
            if (!handlers.Readiness.IsStateLoaded)
            {
                // The store was down at start: no signing keys yet. The same answer as when the store goes away later.
                handlers.Outages.Refused(requestId, "The start-up state is not loaded yet (the store did not answer).");
                return Unavailable(isJson, requestId);
            }

            var request = ToSignedRequest(context, body);
            return isJson
                ? await handlers.Cognito.HandleAsync(target, request, requestId, context.RequestAborted)
                : await handlers.Query.HandleAsync(request, requestId, context.RequestAborted);
        }
        catch (OperationCanceledException e) when (context.RequestAborted.IsCancellationRequested)
        {
            handlers.Aborts.End(context, requestId, e);
            return null;
        }
        catch (StoreUnavailableException e)
        {
            // Not a bug: the store is down, slow or locked. AWS's common 503 error tells SDKs to retry; no stack trace.
            handlers.Outages.Refused(requestId, e.Message);
            return Unavailable(isJson, requestId);
        }
        catch (Exception e)
        {
            // Programmer errors only: the caller gets the AWS internal error, never a stack trace; the log gets the exception.
            LogUnhandled(handlers.Logger, e, requestId);
            return isJson ? JsonReplies.Error(CognitoErrors.InternalError(), requestId) : QueryXml.Error(new AwsError("InternalFailure", "An internal error occurred.", 500), "https://iam.amazonaws.com/doc/2010-05-08/", requestId);
        }
    }

    /// <summary>AWS's common error for a service that cannot answer now: SDKs retry it.</summary>
    private static ProtocolResponse Unavailable(bool isJson, string requestId)
    {
        var error = new AwsError("ServiceUnavailable", "The service is unavailable. Please try again later.", 503);
        return isJson ? JsonReplies.Error(error, requestId) : QueryXml.Error(error, "https://iam.amazonaws.com/doc/2010-05-08/", requestId);
    }

    private static SignedRequest ToSignedRequest(HttpContext context, byte[] body)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "/";
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

    private static ProtocolResponse TooLarge(bool isJson, int limit, string requestId)
    {
        var error = new AwsError("RequestEntityTooLargeException", $"The request body exceeds {limit} bytes.", 413);
        return isJson ? JsonReplies.Error(error, requestId) : QueryXml.Error(error, "https://iam.amazonaws.com/doc/2010-05-08/", requestId);
    }

    /// <summary>Only Query bodies are large (see <see cref="ProtocolBodies"/>); IAM and STS answer throttling so, and SDKs retry it.</summary>
    private static ProtocolResponse Throttled(string requestId) =>
        QueryXml.Error(new AwsError("Throttling", "Rate exceeded", 400), "https://iam.amazonaws.com/doc/2010-05-08/", requestId);

    private static async Task WriteAsync(HttpContext context, Handlers handlers, ProtocolResponse response, string requestId)
    {
        try
        {
            await WriteAsync(context.Response, response);
        }
        catch (Exception e) when (ClientAborts.IsClientEvent(e))
        {
            handlers.Aborts.End(context, requestId, e);
        }
    }

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

    private sealed record Handlers(
        CognitoJsonEndpoint Cognito, QueryEndpoint Query, BrokerReadiness Readiness, StoreOutageLog Outages, ClientAborts Aborts,
        ProtocolBodies Bodies, ILogger<CognitoJsonEndpoint> Logger)
    {
        public static Handlers From(IServiceProvider services) => new(
            services.GetRequiredService<CognitoJsonEndpoint>(),
            services.GetRequiredService<QueryEndpoint>(),
            services.GetRequiredService<BrokerReadiness>(),
            services.GetRequiredService<StoreOutageLog>(),
            services.GetRequiredService<ClientAborts>(),
            services.GetRequiredService<ProtocolBodies>(),
            services.GetRequiredService<ILogger<CognitoJsonEndpoint>>());
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Unhandled error in request {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestId);
}
