using System.Globalization;

namespace IdentityBroker.Audit;

/// <summary>
/// CloudTrail's eventID is a GUID; the broker makes it a version-7 GUID of the event's time. Two reasons: the ids of
/// consecutive events sort together, so nothing random is indexed on every call (a random key costs a B-tree page per row),
/// and an id names the millisecond its event happened in, so LookupEvents by EventId searches only that millisecond
/// and the SQLite table needs no index of ids at all (docs/audit.md, "Storage").
/// </summary>
public static class AuditEventId
{
    public static string New(DateTimeOffset eventTime) => Guid.CreateVersion7(eventTime).ToString("D");

    /// <summary>The millisecond a version-7 id was made in; null for any other string (ids from before version 7 ids, or not ids).</summary>
    public static DateTimeOffset? Millisecond(string? eventId)
    {
        if (eventId is null || !Guid.TryParseExact(eventId, "D", out var guid) || guid.Version != 7)
        {
            return null;
        }

        // The first 48 bits are the Unix time in milliseconds: hex digits 0-7 and 9-12 of the "D" form.
        var millis = long.Parse(string.Concat(eventId.AsSpan(0, 8), eventId.AsSpan(9, 4)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return DateTimeOffset.FromUnixTimeMilliseconds(millis);
    }
}
