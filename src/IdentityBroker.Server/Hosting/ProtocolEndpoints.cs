using IdentityBroker.Errors;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage.Redis;
using Microsoft.AspNetCore.Http.Features;

namespace IdentityBroker.Server.Hosting;

/// <summary>The HTTP edge of the AWS protocols: turns a request into a <see cref="SignedRequest"/> and writes the reply as it is.</summary>
internal static partial class ProtocolEndpoints
{
    /// <summary>Ten logins of 50,000 characters fit with room to spare; anything larger is refused before parsing.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private static readonly byte[] OverflowProbe = new byte[1];

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
        byte[]? body;
        try
        {
            body = await ReadBodyAsync(context.Request);
        }
        catch (Exception e) when (ClientAborts.IsClientEvent(e))
        {
            handlers.Aborts.End(context, requestId, e);
            return;
        }

        var response = await RespondAsync(context, handlers, target, isJson, body, requestId);
        if (response is null)
        {
            return;
        }

        try
        {
            await WriteAsync(context.Response, response);
        }
        catch (Exception e) when (ClientAborts.IsClientEvent(e))
        {
            handlers.Aborts.End(context, requestId, e);
        }
    }

    /// <summary>The reply to write, or null when the client aborted the request while it was being served.</summary>
    private static async Task<ProtocolResponse?> RespondAsync(HttpContext context, Handlers handlers, string target, bool isJson, byte[]? body, string requestId)
    {
        try
        {
            if (!handlers.Readiness.IsStateLoaded)
            {
                // Redis was down at start: no signing keys yet. The same answer as when Redis goes away later.
                handlers.Outages.Refused(requestId, "The start-up state is not loaded yet (the store did not answer).");
                return Unavailable(isJson, requestId);
            }

            if (body is null)
            {
                return TooLarge(isJson, requestId);
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
        catch (RedisStoreUnavailableException e)
        {
            // Not a bug: the shared store is down or slow. AWS's common 503 error tells SDKs to retry; no stack trace.
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

    /// <summary>
    /// No cancellation token on purpose: Kestrel ends a pending body read itself when the connection drops (IOException) or
    /// the body comes too slowly (BadHttpRequestException, after MinRequestBodyDataRate), whereas a read cancelled through
    /// RequestAborted leaves Kestrel's body reader marked busy, and Kestrel then logs an error for each such request when
    /// it drains the body.
    /// </summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is { } length)
        {
            return length > MaxBodyBytes ? null : await ReadExactlyAsync(request.Body, (int)length);
        }

        return await ReadChunkedAsync(request.Body);
    }

    /// <summary>
    /// With a Content-Length (what every AWS SDK sends) the body is read straight into one array of that size: no
    /// intermediate buffer or copy on the hot path. A body longer than announced is refused as too large.
    /// </summary>
    private static async Task<byte[]?> ReadExactlyAsync(Stream body, int length)
    {
        var bytes = length == 0 ? [] : new byte[length];
        var read = await body.ReadAtLeastAsync(bytes, length, throwOnEndOfStream: false);
        if (read < length)
        {
            return bytes[..read]; // Kestrel refuses a short body first; kept for other servers.
        }

        // Kestrel ends the body at Content-Length; the probe guards other servers. Its content is never read, so one
        // shared byte serves every request.
        return await body.ReadAsync(OverflowProbe) == 0 ? bytes : null;
    }

    private static async Task<byte[]?> ReadChunkedAsync(Stream body)
    {
        using var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
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

        return new SignedRequest(context.Request.Method, path, queryString, headers, body);
    }

    private static ProtocolResponse TooLarge(bool isJson, string requestId)
    {
        var error = new AwsError("RequestEntityTooLargeException", $"The request body exceeds {MaxBodyBytes} bytes.", 413);
        return isJson ? JsonReplies.Error(error, requestId) : QueryXml.Error(error, "https://iam.amazonaws.com/doc/2010-05-08/", requestId);
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
        ILogger<CognitoJsonEndpoint> Logger)
    {
        public static Handlers From(IServiceProvider services) => new(
            services.GetRequiredService<CognitoJsonEndpoint>(),
            services.GetRequiredService<QueryEndpoint>(),
            services.GetRequiredService<BrokerReadiness>(),
            services.GetRequiredService<StoreOutageLog>(),
            services.GetRequiredService<ClientAborts>(),
            services.GetRequiredService<ILogger<CognitoJsonEndpoint>>());
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Unhandled error in request {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestId);
}
