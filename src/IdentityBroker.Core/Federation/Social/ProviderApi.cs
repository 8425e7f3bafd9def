using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Federation.Social;

/// <summary>How a token API answered: a JSON object with its status, or unreachable (network, timeout, 5xx, not JSON).</summary>
internal sealed record ApiReply(int Status, JsonElement Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>
/// GETs JSON from a provider's token API (Facebook Graph, Login with Amazon) over the named client
/// <see cref="HttpClientName"/>. Request URLs carry tokens and the Facebook app secret, so this class never
/// logs them, and the host removes the HttpClient's own loggers for that client.
/// </summary>
public sealed class ProviderApi
{
    /// <summary>The IHttpClientFactory name of every token-API call (Facebook Graph, Login with Amazon).</summary>
    public const string HttpClientName = "IdentityBroker.SocialProviders";

    private const long MaxReplyBytes = 64 * 1024;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeSpan _timeout;

    public ProviderApi(IHttpClientFactory httpClientFactory, IOptions<BrokerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _timeout = options.Value.Providers.RequestTimeout;
    }

    /// <summary>The reply, or null when the provider could not be reached or answered a 5xx or a body that is not a JSON object.</summary>
    internal async Task<ApiReply?> GetJsonAsync(Uri url, string? bearerToken, CancellationToken cancellationToken)
    {
        using var client = _httpClientFactory.CreateClient(HttpClientName);
        client.Timeout = _timeout;
        client.MaxResponseContentBufferSize = MaxReplyBytes;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            if ((int)response.StatusCode >= 500)
            {
                return null;
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new ApiReply((int)response.StatusCode, document.RootElement.Clone())
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    internal static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    internal static long? Number(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)
            ? n
            : null;
}
