using System.Collections.Concurrent;
using IdentityBroker.Errors;

namespace IdentityBroker.Policies;

/// <summary>
/// Parsed policies by (kind, text): policies are parsed on every STS call and signed request, so parsing is done once.
/// Bounded by entry count and total text size; when full it starts over (policies are few and re-parse cheaply).
/// Only successful parses are kept, so malformed input cannot fill it.
/// </summary>
public sealed class PolicyCache
{
    private readonly ConcurrentDictionary<(PolicyKind Kind, string Text), PolicyDocument> _entries = new();
    private readonly int _maxEntries;
    private readonly long _maxChars;
    private long _chars;

    public PolicyCache(int maxEntries = 1024, long maxChars = 4 * 1024 * 1024)
    {
        _maxEntries = maxEntries;
        _maxChars = maxChars;
    }

    public int Count => _entries.Count;

    public Result<PolicyDocument> Parse(string text, PolicyKind kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_entries.TryGetValue((kind, text), out var cached))
        {
            return cached;
        }

        var parsed = PolicyParser.Parse(text, kind);
        if (parsed.IsSuccess)
        {
            Add(kind, text, parsed.Value);
        }

        return parsed;
    }

    private void Add(PolicyKind kind, string text, PolicyDocument document)
    {
        if (_entries.Count >= _maxEntries || Interlocked.Read(ref _chars) + text.Length > _maxChars)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _chars, 0);
        }

        if (_entries.TryAdd((kind, text), document))
        {
            Interlocked.Add(ref _chars, text.Length);
        }
    }
}
