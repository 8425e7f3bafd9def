using IdentityBroker.Errors;
using IdentityBroker.Mapping;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace IdentityBroker.Server.Admin;

/// <summary>
/// <c>/admin/api/...</c>: what AWS has no API for (DESIGN.md). Every call is SigV4-signed with an admin key, checked by the
/// same <see cref="IRequestAuthenticator"/> as the AWS protocols; temporary (STS) credentials are refused.
/// </summary>
internal static class AdminApi
{
    private const int MaxBodyBytes = 256 * 1024;
    private const string ContentType = "application/json";

    public static void MapAdminApi(this WebApplication app)
    {
        app.MapPost("/admin/api/simulate", SimulateAsync);
    }

    private static async Task SimulateAsync(HttpContext context, IRequestAuthenticator authenticator, RuleSimulator simulator, ClientAborts aborts)
    {
        byte[]? body;
        try
        {
            body = await ReadBodyAsync(context.Request);
        }
        catch (Exception e) when (ClientAborts.IsClientEvent(e))
        {
            aborts.End(context, context.TraceIdentifier, e); // the client hung up mid-body: a client event, no stack trace
            return;
        }

        if (body is null)
        {
            await WriteAsync(context.Response, 413, SimulationJson.WriteError(new AwsError("RequestEntityTooLargeException", $"The request body exceeds {MaxBodyBytes} bytes.", 413)));
            return;
        }

        var principal = await authenticator.AuthenticateAsync(ToSignedRequest(context, body), SignatureDialect.Json, context.RequestAborted);
        if (!principal.IsSuccess || !principal.Value.IsAdmin)
        {
            var error = principal.Error ?? new AwsError("AccessDeniedException", "The admin API needs a signature made with an admin access key.", 403);
            await WriteAsync(context.Response, error.StatusCode, SimulationJson.WriteError(error));
            return;
        }

        var request = SimulationJson.ReadRequest(body);
        if (!request.IsSuccess)
        {
            await WriteAsync(context.Response, 400, SimulationJson.WriteError(request.Error!));
            return;
        }

        var outcome = await simulator.SimulateAsync(request.Value, context.RequestAborted);
        await (outcome.Result is { } result
            ? WriteAsync(context.Response, 200, SimulationJson.WriteResult(result))
            : WriteAsync(context.Response, outcome.Error!.StatusCode, SimulationJson.WriteError(outcome.Error)));
    }

    /// <summary>No cancellation token, as at the protocol endpoints: Kestrel ends the read itself when the client goes away.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static SignedRequest ToSignedRequest(HttpContext context, byte[] body)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var headers = context.Request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString())).ToList();
        return new SignedRequest(context.Request.Method, q < 0 ? rawTarget : rawTarget[..q], q < 0 ? string.Empty : rawTarget[(q + 1)..], headers, body);
    }

    private static async Task WriteAsync(HttpResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }
}
