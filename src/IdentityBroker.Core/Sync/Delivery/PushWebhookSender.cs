using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Sync.Delivery;

/// <summary>
/// Calls the platform's push webhook for one device: POST of <see cref="PushSyncMessage.WebhookBody"/>, any 2xx is delivered.
/// A failed call is retried up to <see cref="SyncPushOptions.MaxAttempts"/> calls, waiting <see cref="SyncPushOptions.RetryDelay"/>
/// and doubling it each time; a 4xx other than 408/429 is final (the receiver refused this message). Over the named client
/// <see cref="SyncPushOptions.HttpClientName"/>, whose loggers are removed (the body carries the device token).
/// </summary>
public sealed class PushWebhookSender(IHttpClientFactory clients, IOptions<SyncPushOptions> options, TimeProvider time)
{
    /// <summary>Whether the platform has a webhook: a device of another platform is not notified (nor is that a failure).</summary>
    public bool Handles(string platform) => options.Value.WebhookUrls.ContainsKey(platform);

    /// <returns>Null when delivered; else why not (the last status or error kind, never the body).</returns>
    public async Task<string?> SendAsync(SyncDevice target, PushSyncNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var o = options.Value;
        if (!o.WebhookUrls.TryGetValue(target.Platform, out var url))
        {
            return "no webhook for " + target.Platform;
        }

        var body = PushSyncMessage.WebhookBody(target, notice);
        string? failure = null;
        for (var attempt = 1; attempt <= o.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(DelayBefore(attempt, o.RetryDelay), time, cancellationToken).ConfigureAwait(false);
            }

            (failure, var final) = await CallAsync(new Uri(url), body, o.Timeout, cancellationToken).ConfigureAwait(false);
            if (failure is null || final)
            {
                return failure;
            }
        }

        return failure;
    }

    /// <summary>The wait before call <paramref name="attempt"/> (2 and later): the first delay, doubled for each call after the second.</summary>
    public static TimeSpan DelayBefore(int attempt, TimeSpan first) => first * (1L << Math.Clamp(attempt - 2, 0, 30));

    private async Task<(string? Failure, bool Final)> CallAsync(Uri url, byte[] body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await clients.CreateClient(SyncPushOptions.HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (null, false) : ("status " + status, status is >= 400 and < 500 and not 408 and not 429);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ("timeout", false);
        }
        catch (HttpRequestException e)
        {
            return (e.HttpRequestError.ToString(), false);
        }
    }
}
