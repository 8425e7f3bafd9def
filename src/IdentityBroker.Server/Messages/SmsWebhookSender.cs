using System.Text.Json;
using IdentityBroker.UserPools.Messages;

namespace IdentityBroker.Server.Messages;

/// <summary>
/// Sends SMS through the operator's webhook: POST <see cref="SmsOptions.WebhookUrl"/> with
/// <c>{"userPoolId", "username", "destination", "purpose", "message"}</c>; any 2xx is delivered. Over the named client
/// <see cref="HttpClientName"/>, whose request loggers are removed (the URL may carry the webhook's secret).
/// </summary>
internal sealed class SmsWebhookSender(SmsOptions options, IHttpClientFactory clients)
{
    public const string HttpClientName = "IdentityBroker.SmsWebhook";

    /// <returns>Null when the webhook answered 2xx; else why not (status or error kind, never the message).</returns>
    public async Task<string?> SendAsync(UserPoolMessage message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        var client = clients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.WebhookUrl) { Content = new ByteArrayContent(Body(message)) };
        request.Content.Headers.ContentType = new("application/json");
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : "status " + (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timeout";
        }
        catch (HttpRequestException e)
        {
            return e.HttpRequestError.ToString();
        }
    }

    private static byte[] Body(UserPoolMessage message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("userPoolId", message.UserPoolId);
            json.WriteString("username", message.Username);
            json.WriteString("destination", message.Destination);
            json.WriteString("purpose", message.Purpose.ToString());
            json.WriteString("message", message.Body);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
