using System.Text;
using IdentityBroker.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityBroker.UserPools.CompromisedPasswords;

/// <summary>
/// A k-anonymity range API in the HIBP form: only the first 5 hex digits of the SHA-1 leave the broker (GET
/// <c>&lt;base&gt;/range/ABCDE</c>, asked with "Add-Padding: true" so the response size does not reveal the prefix
/// either); the suffix is looked for in the answer. Any failure — timeout, connection error, non-200, an oversized
/// body — is Unavailable. The prefix, the hash and the password are never logged.
/// </summary>
public sealed partial class PwnedPasswordsRangeApi : IPwnedPasswordsSource
{
    /// <summary>A padded range is 800–1,000 lines of about 40 bytes; far more is not a range answer.</summary>
    private const int MaxResponseBytes = 1 << 20;

    private readonly IHttpClientFactory _clients;
    private readonly CompromisedPasswordsOptions _options;
    private readonly ILogger<PwnedPasswordsRangeApi> _logger;

    public PwnedPasswordsRangeApi(IHttpClientFactory clients, IOptions<CompromisedPasswordsOptions> options, ILogger<PwnedPasswordsRangeApi> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _options = options.Value;
        _logger = logger;
    }

    public async ValueTask<CompromisedVerdict> LookupAsync(string sha1Hex, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha1Hex);
        var baseUrl = _options.RangeApiUrl ?? throw new InvalidOperationException("No range API is configured.");
        var hash = sha1Hex.ToUpperInvariant();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            var body = await FetchRangeAsync(baseUrl, hash[..PwnedRange.PrefixLength], timeout.Token).ConfigureAwait(false);
            if (body is null)
            {
                return CompromisedVerdict.Unavailable;
            }

            using var reader = new StringReader(body);
            return PwnedRange.Lists(reader, hash[PwnedRange.PrefixLength..]) ? CompromisedVerdict.Compromised : CompromisedVerdict.NotFound;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogRangeApiFailed(_logger, "no answer within the timeout");
            return CompromisedVerdict.Unavailable;
        }
        catch (HttpRequestException e)
        {
            LogRangeApiFailed(_logger, "unreachable: " + e.HttpRequestError);
            return CompromisedVerdict.Unavailable;
        }
    }

    private async Task<string?> FetchRangeAsync(Uri baseUrl, string prefix, CancellationToken cancellationToken)
    {
        var client = _clients.CreateClient(CompromisedPasswordsOptions.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/range/" + prefix));
        request.Headers.TryAddWithoutValidation("Add-Padding", "true");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            LogRangeApiFailed(_logger, "HTTP " + (int)response.StatusCode);
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxResponseBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        if (total > MaxResponseBytes)
        {
            LogRangeApiFailed(_logger, "answer over " + MaxResponseBytes + " bytes");
            return null;
        }

        return Encoding.ASCII.GetString(buffer, 0, total);
    }

    /// <summary>Debug: each failure; the throttled warning of <see cref="CompromisedPasswordCheck"/> is what an operator sees.</summary>
    [LoggerMessage(EventId = LogEvents.CompromisedRangeApiFailed, Level = LogLevel.Debug, Message = "Compromised-password range API failed: {Reason}")]
    private static partial void LogRangeApiFailed(ILogger logger, string reason);
}
