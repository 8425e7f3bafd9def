using System.IO.Pipelines;
using IdentityBroker.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace IdentityBroker.Tests.Hosting;

/// <summary>
/// The body is read before anyone is authenticated, so what it costs must follow the bytes that arrived, not the
/// Content-Length the client announced: otherwise each anonymous connection that announces 1 MB and sends nothing holds
/// 1 MB of memory until the body-rate timeout, and a few thousand of them exhaust it.
/// </summary>
[TestFixture]
[NonParallelizable] // counts this process's allocations
public sealed class ProtocolBodiesTests
{
    [Test]
    public async Task An_announced_body_that_does_not_arrive_holds_no_memory_of_its_announced_size()
    {
        var pipe = new Pipe();
        var context = new DefaultHttpContext();
        context.Request.ContentLength = ProtocolBodies.JsonMaxBytes;
        context.Request.Body = pipe.Reader.AsStream();
        await pipe.Writer.WriteAsync("{\"Iden"u8.ToArray());

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var reading = ProtocolBodies.ReadAsync(context, ProtocolBodies.JsonMaxBytes); // runs until it waits for the rest
        var held = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.That(reading.IsCompleted, Is.False, "the rest of the body has not arrived");
        Assert.That(held, Is.LessThan(ProtocolBodies.JsonMaxBytes / 4), "memory follows the bytes received, not the announced length");
        await pipe.Writer.CompleteAsync();
        Assert.That(await reading, Has.Length.EqualTo(6), "a short body is what arrived");
    }

    [Test]
    public async Task A_body_of_the_announced_length_is_read_whole_and_a_longer_one_is_refused()
    {
        var body = new byte[200_000];
        Random.Shared.NextBytes(body);

        Assert.That(await ReadAsync(body, announced: body.Length), Is.EqualTo(body));
        Assert.That(await ReadAsync(body, announced: body.Length - 1), Is.Null, "more bytes than announced is too large");
    }

    private static async Task<byte[]?> ReadAsync(byte[] body, int announced)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentLength = announced;
        context.Request.Body = new MemoryStream(body);
        return await ProtocolBodies.ReadAsync(context, ProtocolBodies.JsonMaxBytes);
    }
}
