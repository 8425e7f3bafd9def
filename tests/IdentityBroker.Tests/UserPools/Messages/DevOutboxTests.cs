using IdentityBroker.Server.Messages;
using IdentityBroker.UserPools.Messages;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.Messages;

[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class DevOutboxTests
{
    private const string Pool = "us-east-1_abc123XYZ";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static UserPoolMessage Message(string user, int n, string pool = Pool) =>
        new(pool, user, MessageChannel.Email, MessagePurpose.PasswordReset, user + "@example.com", "s", "body " + n);

    [Test]
    public void It_keeps_the_latest_messages_of_each_user_newest_first()
    {
        var outbox = new DevOutbox(_time);
        for (var n = 1; n <= DevOutbox.MessagesPerUser + 2; n++)
        {
            outbox.Add(Message("alice", n));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        outbox.Add(Message("bob", 1));

        var alice = outbox.Read(Pool, "alice");
        Assert.That(alice.Select(m => m.Body), Is.EqualTo(Enumerable.Range(3, DevOutbox.MessagesPerUser).Reverse().Select(n => "body " + n)));
        Assert.That(outbox.Read(Pool, null), Has.Count.EqualTo(DevOutbox.MessagesPerUser + 1));
        Assert.That(outbox.Read("us-east-1_other1234", null), Is.Empty);
    }

    [Test]
    public void Past_the_user_bound_the_least_recently_written_user_is_forgotten()
    {
        var outbox = new DevOutbox(_time);
        outbox.Add(Message("first", 1));
        outbox.Add(Message("second", 1));
        outbox.Add(Message("first", 2));
        for (var i = 0; i < DevOutbox.MaxUsers - 1; i++)
        {
            outbox.Add(Message("user" + i, 1, "us-east-1_pool" + (i % 7)));
        }

        Assert.That(outbox.Read(Pool, "second"), Is.Empty);
        Assert.That(outbox.Read(Pool, "first"), Has.Count.EqualTo(2));
    }
}
