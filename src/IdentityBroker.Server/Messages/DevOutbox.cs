using IdentityBroker.UserPools.Messages;

namespace IdentityBroker.Server.Messages;

/// <summary>One message as the dev outbox keeps it.</summary>
public sealed record OutboxMessage(
    string Username, MessageChannel Channel, MessagePurpose Purpose, string Destination, string Subject, string Body, DateTimeOffset Time);

/// <summary>
/// Where messages go for a channel with no transport configured (the local default): the latest
/// <see cref="MessagesPerUser"/> messages of each user, for at most <see cref="MaxUsers"/> users over all pools — the user
/// written to least recently is forgotten first — so the outbox cannot grow without bound. In memory: each broker process
/// (each replica) has its own, and a restart empties it. Thread-safe.
/// </summary>
internal sealed class DevOutbox(TimeProvider time)
{
    public const int MessagesPerUser = 10;
    public const int MaxUsers = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Pool, string User), LinkedListNode<Mailbox>> _boxes = [];
    private readonly LinkedList<Mailbox> _recency = new();
    private long _sequence;

    public void Add(UserPoolMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var entry = new OutboxMessage(message.Username, message.Channel, message.Purpose, message.Destination, message.Subject, message.Body, time.GetUtcNow());
        lock (_gate)
        {
            var node = Touch((message.UserPoolId, message.Username));
            var messages = node.Value.Messages;
            messages.Enqueue((++_sequence, entry));
            if (messages.Count > MessagesPerUser)
            {
                messages.Dequeue();
            }
        }
    }

    /// <summary>The pool's messages (of one user when <paramref name="username"/> is set), newest first.</summary>
    public IReadOnlyList<OutboxMessage> Read(string userPoolId, string? username)
    {
        lock (_gate)
        {
            return [.. _recency.Where(b => b.Pool == userPoolId && (username is null || b.User == username))
                .SelectMany(b => b.Messages)
                .OrderByDescending(m => m.Sequence)
                .Select(m => m.Message)];
        }
    }

    private LinkedListNode<Mailbox> Touch((string Pool, string User) key)
    {
        if (_boxes.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            return node;
        }

        if (_boxes.Count >= MaxUsers && _recency.Last is { } oldest)
        {
            _boxes.Remove((oldest.Value.Pool, oldest.Value.User));
            _recency.RemoveLast();
        }

        node = _recency.AddFirst(new Mailbox(key.Pool, key.User));
        _boxes[key] = node;
        return node;
    }

    private sealed record Mailbox(string Pool, string User)
    {
        /// <summary>In order of arrival; the sequence orders messages of different users (times may be equal).</summary>
        public Queue<(long Sequence, OutboxMessage Message)> Messages { get; } = new();
    }
}
