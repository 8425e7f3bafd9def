using IdentityBroker.Server.Connections;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Connections;

[TestFixture]
public sealed class UnstartedConnectionsTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-07T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private ConnectionSlots _slots = null!;
    private UnstartedConnections _unstarted = null!;

    [SetUp]
    public void CreateTable()
    {
        _slots = new ConnectionSlots(limit: 2);
        _unstarted = new UnstartedConnections(_time);
    }

    [Test]
    public void A_connection_silent_for_less_than_the_grace_period_is_not_closed_to_make_room()
    {
        _unstarted.Add(Accept("a"));
        _time.Advance(UnstartedConnections.GracePeriod - TimeSpan.FromMilliseconds(1));

        Assert.That(_unstarted.TakeOldestSilent(), Is.Null);
    }

    [Test]
    public void The_oldest_silent_connection_makes_room_and_hands_over_its_slot_once()
    {
        var first = Accept("a");
        _unstarted.Add(first);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        _unstarted.Add(Accept("b"));
        _time.Advance(UnstartedConnections.GracePeriod);

        var taken = _unstarted.TakeOldestSilent();

        Assert.That(taken, Is.SameAs(first));
        Assert.That(taken!.TryCloseForNewConnection(), Is.True, "the slot goes to the new connection");
        Assert.That(taken.TryCloseForNewConnection(), Is.False, "and only once");
        Assert.That(_slots.Open, Is.EqualTo(2), "a handed-over slot is not given back");
    }

    [Test]
    public void A_connection_serving_a_request_is_never_closed_to_make_room()
    {
        _unstarted.Add(Accept("a"));
        _unstarted.Started("a");
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.That(_unstarted.TakeOldestSilent(), Is.Null);
        Assert.That(_unstarted.Count, Is.Zero);
    }

    [Test]
    public void A_connection_kept_alive_after_its_response_makes_room_only_after_the_never_started_ones()
    {
        var kept = Accept("a");
        _unstarted.Add(kept);
        _unstarted.Started("a");
        _unstarted.Completed("a");
        _time.Advance(TimeSpan.FromMilliseconds(10));
        var silent = Accept("b");
        _unstarted.Add(silent);
        _time.Advance(UnstartedConnections.GracePeriod);

        Assert.That(_unstarted.TakeOldestSilent(), Is.SameAs(silent), "a connection that never sent a request goes first");
        Assert.That(_unstarted.TakeOldestSilent(), Is.SameAs(kept), "then the one kept alive longest");
        Assert.That(_unstarted.TakeOldestSilent(), Is.Null);
    }

    [Test]
    public void A_kept_alive_connection_is_silent_from_its_last_response_and_not_while_another_request_is_served()
    {
        _unstarted.Add(Accept("a"));
        _unstarted.Started("a");
        _time.Advance(TimeSpan.FromMinutes(1));
        _unstarted.Completed("a");
        _time.Advance(UnstartedConnections.GracePeriod - TimeSpan.FromMilliseconds(1));
        Assert.That(_unstarted.TakeOldestSilent(), Is.Null, "silent for less than the grace period since its response");

        _unstarted.Started("a"); // the next request (or, on HTTP/2, another stream) before the previous one completed
        _unstarted.Started("a");
        _unstarted.Completed("a");
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(_unstarted.TakeOldestSilent(), Is.Null, "a request is still being served");
    }

    [Test]
    public async Task A_closed_connection_leaves_the_table_and_returns_its_slot()
    {
        var connection = Accept("a");
        _unstarted.Add(connection);

        await connection.DisposeAsync();

        Assert.That(_unstarted.Count, Is.Zero);
        Assert.That(_slots.Open, Is.Zero);
        Assert.That(connection.TryCloseForNewConnection(), Is.False, "a closed connection has no slot to hand over");
    }

    private LimitedConnection Accept(string id)
    {
        Assert.That(_slots.TryTake(), Is.True);
        return new LimitedConnection(new DefaultConnectionContext(id), _slots, _unstarted, _time.GetTimestamp());
    }
}
