using IdentityBroker.Protocol.Services;
using Microsoft.AspNetCore.Http.Features;

namespace IdentityBroker.Server.Hosting;

/// <summary>
/// How much request body the edge reads, and into what. The body is read before the signature can be
/// checked (SigV4 covers its hash), so every byte read here may come from an anonymous caller; the limits are therefore
/// the smallest that the legal requests need:
/// <list type="bullet">
/// <item>JSON 1.1 (Cognito), REST-JSON, and any body without a Content-Length: <see cref="JsonMaxBytes"/>.</item>
/// <item>AWS Query (IAM, STS) with a Content-Length (every AWS SDK and the CLI send one): <see cref="QueryMaxBytes"/>,
/// because IAM's SAMLMetadataDocument may hold 10,000,000 characters, and a form body percent-encodes them.</item>
/// </list>
/// Kestrel's own MaxRequestBodySize is set to the same limit for each request, so whichever notices first, the caller
/// gets the same RequestEntityTooLargeException. At most <see cref="MaxLargeBodiesInFlight"/> bodies above the JSON limit
/// are held at once; another is answered Throttling (which SDKs retry), so large bodies cannot exhaust memory.
/// </summary>
internal sealed class ProtocolBodies
{
    /// <summary>Ten logins of 50,000 characters fit with room to spare.</summary>
    public const int JsonMaxBytes = 1024 * 1024;

    /// <summary>
    /// 10,000,000 metadata characters at 3 bytes each once percent-encoded (every character of an ASCII document escaped,
    /// the worst case) is 30,000,000 bytes; the rest of CreateSAMLProvider or UpdateSAMLProvider (name, 50 tags, a
    /// 16,384-character private key, an ARN), encoded at their own worst, is under 300,000 more.
    /// </summary>
    public const int QueryMaxBytes = 32 * 1024 * 1024;

    public const int MaxLargeBodiesInFlight = 2;

    /// <summary>
    /// Up to this announced length the body is read straight into one array of that size. Above it, memory grows with the
    /// bytes that arrive: an anonymous client that announces 1 MB and sends nothing must not hold 1 MB per connection.
    /// </summary>
    public const int PreallocatedMaxBytes = 64 * 1024;

    private static readonly byte[] OverflowProbe = new byte[1];

    private int _largeBodies;

    public static int LimitFor(AwsProtocol protocol, long? contentLength) =>
        protocol == AwsProtocol.Query && contentLength is not null ? QueryMaxBytes : JsonMaxBytes;

    /// <summary>A body above the JSON limit that is still within <paramref name="limit"/>: it needs one of the large-body slots.</summary>
    public static bool IsLarge(long? contentLength, int limit) => contentLength > JsonMaxBytes && contentLength <= limit;

    public bool TryEnterLarge()
    {
        if (Interlocked.Increment(ref _largeBodies) <= MaxLargeBodiesInFlight)
        {
            return true;
        }

        Interlocked.Decrement(ref _largeBodies);
        return false;
    }

    public void ExitLarge() => Interlocked.Decrement(ref _largeBodies);

    /// <summary>
    /// The body, or null when it exceeds <paramref name="limit"/>. No cancellation token on purpose: Kestrel ends a pending
    /// body read itself when the connection drops (IOException) or the body comes too slowly (BadHttpRequestException, after
    /// MinRequestBodyDataRate), whereas a read cancelled through RequestAborted leaves Kestrel's body reader marked busy,
    /// and Kestrel then logs an error for each such request when it drains the body.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, int limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
        {
            kestrelLimit.MaxRequestBodySize = limit;
        }

        try
        {
            var request = context.Request;
            return request.ContentLength is { } length
                ? length > limit ? null : await ReadAnnouncedAsync(request.Body, (int)length, limit)
                : await ReadChunkedAsync(request.Body, limit);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null; // Kestrel counted past the same limit first
        }
    }

    /// <summary>
    /// A small body, or a large one (it holds one of the <see cref="MaxLargeBodiesInFlight"/> slots, so the memory is
    /// bounded), is read into one array of the announced size; any other grows as it arrives, up to the announced length.
    /// </summary>
    private static Task<byte[]?> ReadAnnouncedAsync(Stream body, int length, int limit) =>
        length <= PreallocatedMaxBytes || IsLarge(length, limit) ? ReadExactlyAsync(body, length) : ReadChunkedAsync(body, length);

    /// <summary>
    /// With a Content-Length the body is read straight into one array of that size: no intermediate buffer or copy on the
    /// hot path. A body longer than announced is refused as too large.
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

    private static async Task<byte[]?> ReadChunkedAsync(Stream body, int limit)
    {
        using var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk)) > 0)
            {
                if (buffer.Length + read > limit)
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
}
