using System.Globalization;
using IdentityBroker.Audit;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Console;

/// <summary>The audit log's filters as typed (shown again in the form) and the page of events they found.</summary>
public sealed record AuditListModel(ConsoleCall Call, string Attribute, string Value, string From, string To, IReadOnlyList<AuditRecord> Events, string? Next, string? Error);

public sealed record AuditEventModel(ConsoleCall Call, AuditRecord Record);

/// <summary>
/// The audit log (docs/console.md, "Audit log"): the audit store's own lookup (the one LookupEvents uses) with one
/// attribute filter and a time window, newest first, 50 a page; each event opens to its decision and its whole record.
/// </summary>
internal static class AuditPages
{
    public const int PageSize = 50;
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm";

    public static async Task<IResult> ListAsync(HttpContext http, IAuditStore audit, TimeProvider time, IOptions<AuditOptions> options)
    {
        var call = ConsoleCall.Of(http);
        var now = time.GetUtcNow();
        var attributeText = call.Query("attribute") ?? "";
        var value = call.Query("value") ?? "";
        AuditAttribute? attribute = value.Length > 0 && Enum.TryParse<AuditAttribute>(attributeText, out var parsed) ? parsed : null;
        var from = Time(call.Query("from")) ?? now.AddDays(-Math.Min(options.Value.RetentionDays, 7));
        var to = Time(call.Query("to")) ?? now;
        var after = Cursor(call.Query("after"));
        string? error = null;
        AuditPage page;
        if (from > to)
        {
            error = "The start of the window is after its end.";
            page = new AuditPage([], null);
        }
        else
        {
            page = await audit.LookupAuditAsync(new AuditQuery(from, to.AddMinutes(1), attribute, attribute is null ? null : value, PageSize, after), call.Aborted);
        }

        var next = page.Next is { } cursor ? cursor.TimeTicks.ToString(CultureInfo.InvariantCulture) + "-" + cursor.Sequence.ToString(CultureInfo.InvariantCulture) : null;
        var model = new AuditListModel(call, attributeText, value, from.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
            to.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture), page.Events, next, error);
        return ConsoleEndpoints.Page<AuditListView>(new { Model = model });
    }

    public static async Task<IResult> ShowAsync(HttpContext http, string eventId, IAuditStore audit, TimeProvider time, IOptions<AuditOptions> options)
    {
        var call = ConsoleCall.Of(http);
        var now = time.GetUtcNow();
        var found = eventId.Length > 64 ? null : (await audit.LookupAuditAsync(
            new AuditQuery(now.AddDays(-options.Value.RetentionDays - 1), now.AddMinutes(1), AuditAttribute.EventId, eventId, 1, null), call.Aborted)).Events;
        return found is not [var record, ..]
            ? ConsoleEndpoints.Message("Not found", $"There is no audit event {eventId}.", StatusCodes.Status404NotFound)
            : ConsoleEndpoints.Page<AuditEventView>(new { Model = new AuditEventModel(call, record) });
    }

    public static string EventPath(string eventId) => "/console/audit/" + Uri.EscapeDataString(eventId);

    /// <summary>The filter form's time: <c>yyyy-MM-ddTHH:mm</c>, in UTC.</summary>
    private static DateTimeOffset? Time(string? text) =>
        text is not null && DateTime.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? new DateTimeOffset(t, TimeSpan.Zero)
            : null;

    private static AuditCursor? Cursor(string? text) =>
        text?.Split('-') is [var ticks, var sequence]
        && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
        && long.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? new AuditCursor(t, s)
            : null;
}
