namespace IdentityBroker.Audit;

/// <summary>A resource an event names (CloudTrail's Resource: type and name), searchable by LookupEvents' ResourceName.</summary>
public sealed record AuditResource(string ResourceType, string ResourceName);

/// <summary>
/// One stored audit event: the columns LookupEvents filters and returns, and <see cref="CloudTrailEvent"/>, the whole
/// CloudTrail record as JSON (docs/audit.md, "Format"). A record of a call carries its <see cref="Facts"/> instead, and its
/// JSON is written from them the first time it is read; events made otherwise (a bulk deletion's) carry their JSON as is.
/// </summary>
public sealed record AuditRecord(
    string EventId,
    DateTimeOffset EventTime,
    string EventName,
    string EventSource,
    bool ReadOnly,
    string? AccessKeyId,
    string? Username,
    IReadOnlyList<AuditResource> Resources,
    string CloudTrailEvent)
{
    private string? _cloudTrailEvent = CloudTrailEvent;

    /// <summary>A call's record, kept as its facts; <see cref="CloudTrailEvent"/> is written from them when read.</summary>
    public AuditRecord(
        string eventId, DateTimeOffset eventTime, string eventName, string eventSource, bool readOnly, string? accessKeyId, string? username,
        IReadOnlyList<AuditResource> resources, AuditFacts facts)
        : this(eventId, eventTime, eventName, eventSource, readOnly, accessKeyId, username, resources, CloudTrailEvent: null!)
    {
        Facts = facts ?? throw new ArgumentNullException(nameof(facts));
    }

    /// <summary>The facts the record's JSON is written from; null for a record stored as its JSON.</summary>
    public AuditFacts? Facts { get; }

    public string CloudTrailEvent
    {
        get => _cloudTrailEvent ??= AuditEventBuilder.Render(this, Facts!);
        init => _cloudTrailEvent = value;
    }
}

/// <summary>The LookupAttributes keys CloudTrail's LookupEvents accepts that this broker serves.</summary>
public enum AuditAttribute
{
    EventName,
    Username,
    ResourceName,
    EventId,
    ReadOnly,
    AccessKeyId,
    EventSource,
    ResourceType,
}

/// <summary>What LookupEvents asks for: events with <see cref="Start"/> ≤ eventTime ≤ <see cref="End"/>, newest first, at most one attribute.</summary>
/// <param name="After">The paging cursor: the (time, sequence) of the last event of the previous page; null for the first page.</param>
public sealed record AuditQuery(
    DateTimeOffset Start,
    DateTimeOffset End,
    AuditAttribute? Attribute,
    string? Value,
    int MaxResults,
    AuditCursor? After);

/// <summary>Where a page ended: the event time and the store's own order within that time.</summary>
public sealed record AuditCursor(long TimeTicks, long Sequence);

/// <summary>One page of events and where the next begins (null when there is none).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Events, AuditCursor? Next);

/// <summary>
/// Durable storage of the audit trail, in each store (a SQLite table; a capped Redis Stream). Appends come in batches from one
/// background writer (<c>AuditWriter</c>); a batch is durable when the returned task completes.
/// </summary>
public interface IAuditStore
{
    Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    Task<AuditPage> LookupAuditAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Removes the events older than <paramref name="before"/>; returns how many (Redis: an estimate, XTRIM's count).</summary>
    Task<long> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>The one match rule of an attribute, shared by both stores (and so by the contract tests).</summary>
public static class AuditMatch
{
    public static bool Matches(AuditRecord record, AuditAttribute? attribute, string? value)
    {
        ArgumentNullException.ThrowIfNull(record);
        return attribute switch
        {
            null => true,
            AuditAttribute.EventName => record.EventName == value,
            AuditAttribute.Username => record.Username == value,
            AuditAttribute.ResourceName => record.Resources.Any(r => r.ResourceName == value),
            AuditAttribute.ResourceType => record.Resources.Any(r => r.ResourceType == value),
            AuditAttribute.EventId => record.EventId == value,
            AuditAttribute.ReadOnly => string.Equals(record.ReadOnly ? "true" : "false", value, StringComparison.OrdinalIgnoreCase),
            AuditAttribute.AccessKeyId => record.AccessKeyId == value,
            AuditAttribute.EventSource => record.EventSource == value,
            _ => false,
        };
    }
}
