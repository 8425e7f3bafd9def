using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityBroker.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>
/// Calls a trigger's function as an HTTP receiver: POST of the event JSON to the URL configured for the ARN, signed
/// (<see cref="TriggerSignature"/>), answered within <see cref="TriggerOptions.Timeout"/>. A 2xx answer is the event back;
/// a non-2xx answer with Lambda's error shape (<c>{"errorType": …, "errorMessage": …}</c>) is the function's error.
/// The event is never logged (it can carry passwords and codes).
/// </summary>
public sealed partial class HttpTriggerFunctions(
    IHttpClientFactory clients, IOptions<TriggerOptions> options, TimeProvider time, ILogger<HttpTriggerFunctions> logger) : ITriggerFunctions
{
    /// <summary>Lambda's synchronous payload limit is 6 MB; a trigger event back is a few KB.</summary>
    private const int MaxResponseBytes = 1 << 20;

    public async Task<FunctionOutcome> InvokeAsync(string functionArn, byte[] eventJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventJson);
        var o = options.Value;
        if (!o.Functions.TryGetValue(functionArn, out var url) || !o.Secrets.TryGetValue(functionArn, out var secret))
        {
            LogTriggerFailed(logger, functionArn, "no URL configured");
            return new FunctionOutcome.NotInvoked(FunctionOutcome.NotInvoked.AccessDenied);
        }

        using var timeout = new CancellationTokenSource(TriggerOptions.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await PostAsync(functionArn, new Uri(url), secret, eventJson, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogTriggerFailed(logger, functionArn, "no answer within the timeout");
            return new FunctionOutcome.TimedOut();
        }
        catch (HttpRequestException e)
        {
            LogTriggerFailed(logger, functionArn, "unreachable: " + e.HttpRequestError);
            return new FunctionOutcome.NotInvoked(FunctionOutcome.NotInvoked.ServiceFailure);
        }
    }

    private async Task<FunctionOutcome> PostAsync(string arn, Uri url, string secret, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.TryAddWithoutValidation(TriggerSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(TriggerSignature.SignatureHeader, TriggerSignature.Sign(secret, timestamp, body));
        request.Headers.TryAddWithoutValidation(TriggerSignature.FunctionHeader, arn);
        var client = clients.CreateClient(TriggerOptions.HttpClientName);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var answer = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
        var node = answer is null ? null : Parse(answer);
        if (response.IsSuccessStatusCode)
        {
            return node is JsonObject reply ? new FunctionOutcome.Replied(reply) : new FunctionOutcome.Unreadable();
        }

        if (node is JsonObject error && error["errorMessage"] is JsonValue message && message.TryGetValue<string>(out var text))
        {
            return new FunctionOutcome.FunctionError(text);
        }

        LogTriggerFailed(logger, arn, "HTTP " + (int)response.StatusCode);
        return new FunctionOutcome.NotInvoked(FunctionOutcome.NotInvoked.ServiceFailure);
    }

    private static async Task<byte[]?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxResponseBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total > MaxResponseBytes ? null : buffer[..total];
    }

    private static JsonNode? Parse(byte[] json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = LogEvents.TriggerFailed, Level = LogLevel.Warning, Message = "Trigger function {FunctionArn} failed: {Reason}")]
    private static partial void LogTriggerFailed(ILogger logger, string functionArn, string reason);
}
