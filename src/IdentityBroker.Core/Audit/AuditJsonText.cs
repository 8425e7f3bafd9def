using System.Buffers;
using System.Text;
using System.Text.Json;

namespace IdentityBroker.Audit;

/// <summary>
/// Writes one piece of audit JSON (a record, its request parameters) and returns it as a string, with the buffer and the
/// <see cref="Utf8JsonWriter"/> reused per thread. Why: every recorded call made a MemoryStream that grew to the record's
/// size, copied it out (<c>ToArray</c>) and decoded that copy, plus a new writer; the reused pair leaves only the string
/// (docs/audit.md, "What it costs"). Not re-entrant: <paramref name="write"/> must not write other audit JSON itself.
/// </summary>
public static class AuditJsonText
{
    /// <summary>A buffer grown past this by an unusually large record is not kept for the thread's next record.</summary>
    private const int MaxKeptBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = Fill(state, write);
        try
        {
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            Release(buffer);
        }
    }

    /// <summary>
    /// As <see cref="Write{TState}"/>, but the UTF-8 bytes, without the first <paramref name="skipStart"/> and the last
    /// <paramref name="skipEnd"/> bytes (a value cut out of the object it was written in).
    /// </summary>
    public static byte[] WriteBytes<TState>(TState state, Action<Utf8JsonWriter, TState> write, int skipStart, int skipEnd)
    {
        var buffer = Fill(state, write);
        try
        {
            return buffer.WrittenSpan[skipStart..^skipEnd].ToArray();
        }
        finally
        {
            Release(buffer);
        }
    }

    private static ArrayBufferWriter<byte> Fill<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        try
        {
            write(writer, state);
            writer.Flush();
            return buffer;
        }
        catch
        {
            Release(buffer);
            throw;
        }
    }

    private static void Release(ArrayBufferWriter<byte> buffer)
    {
        t_writer?.Reset();
        if (buffer.Capacity > MaxKeptBytes)
        {
            t_buffer = null;
        }
    }

    /// <summary>CloudTrail's time form, <c>yyyy-MM-ddTHH:mm:ssZ</c> (UTC, whole seconds), written without a format string.</summary>
    public static void WriteTime(Utf8JsonWriter w, string propertyName, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(w);
        Span<byte> text = stackalloc byte[20];
        var utc = time.UtcDateTime;

        // "s" is the sortable form yyyy-MM-ddTHH:mm:ss, formatted by a fast path (a custom format string is parsed each call).
        utc.TryFormat(text, out var written, "s", System.Globalization.CultureInfo.InvariantCulture);
        text[written] = (byte)'Z';
        w.WriteString(propertyName, text[..(written + 1)]);
    }
}
