using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace IdentityBroker.Sync;

/// <summary>
/// ListRecords' NextToken: the (sync count, key) of the page's last record, base64url. Records are listed by sync count
/// then key, and a write only moves records to higher counts, so a page never repeats or skips an unchanged record.
/// </summary>
public static class RecordCursor
{
    public static string Encode(SyncRecordState last)
    {
        ArgumentNullException.ThrowIfNull(last);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{last.SyncCount.ToString(CultureInfo.InvariantCulture)}/{last.Key}"));
    }

    /// <summary>The position, or null when the token is absent or not one this listing issued.</summary>
    public static (long SyncCount, string Key)? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048 || !Base64Url.IsValid(token))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && long.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? (count, text[(slash + 1)..])
            : null;
    }

    public static bool IsAfter(SyncRecordState record, (long SyncCount, string Key) position)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.SyncCount > position.SyncCount
            || record.SyncCount == position.SyncCount && string.CompareOrdinal(record.Key, position.Key) > 0;
    }
}
