using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace IdentityBroker.Tests.UserPools.Triggers;

/// <summary>One call the receiver got: the function (the URL's last segment), the event, and whether its signature held.</summary>
internal sealed record ReceivedTrigger(string Function, JsonObject Event, bool SignatureValid);

/// <summary>
/// A real HTTP receiver on 127.0.0.1 standing in for the trigger functions: <c>/&lt;name&gt;</c> is the function
/// <see cref="Arn"/>(name). Each call's HMAC is verified here, independently of the broker's code (HMAC-SHA256 of
/// "timestamp.body" under <see cref="Secret"/>, timestamp within 5 minutes). A handler per function answers; without
/// one the event goes back unchanged, as a function that does nothing returns it.
/// </summary>
internal sealed class TriggerReceiver : IAsyncDisposable
{
    public const string Secret = "trigger-receiver-secret-0123456789abcdef";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public TriggerReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<ReceivedTrigger> Calls { get; } = new();

    /// <summary>By function name: the reply (status, body text) to an event the handler may change in place.</summary>
    public ConcurrentDictionary<string, Func<JsonObject, (int Status, string Body)>> Handlers { get; } = new();

    /// <summary>Held before answering: a test releases it (the timeout tests); null answers at once.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public TaskCompletionSource Arrived { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static string Arn(string name) => $"arn:aws:lambda:us-east-1:123456789012:function:{name}";

    /// <summary>The broker settings that map each named function here, with the receiver's secret.</summary>
    public Dictionary<string, string?> Settings(params string[] names)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var name in names)
        {
            settings["Broker:Triggers:Functions:" + Arn(name)] = new Uri(BaseUrl, name).AbsoluteUri;
            settings["Broker:Triggers:Secrets:" + Arn(name)] = Secret;
        }

        return settings;
    }

    /// <summary>The function changes the event's response with <paramref name="change"/> and returns the event.</summary>
    public void Answer(string name, Action<JsonObject> change) =>
        Handlers[name] = e =>
        {
            change(e);
            return (200, e.ToJsonString());
        };

    /// <summary>The function throws: Lambda's error shape with the message.</summary>
    public void Fail(string name, string message) =>
        Handlers[name] = _ => (400, new JsonObject { ["errorType"] = "Error", ["errorMessage"] = message }.ToJsonString());

    public void Reset()
    {
        Calls.Clear();
        Handlers.Clear();
        Hold = null;
        Arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public ReceivedTrigger[] CallsTo(string name) => [.. Calls.Where(c => c.Function == name)];

    public async ValueTask DisposeAsync()
    {
        Hold?.TrySetResult();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var name = context.Request.Url!.Segments[^1];
            var evt = JsonNode.Parse(body)!.AsObject();
            Calls.Enqueue(new ReceivedTrigger(name, (JsonObject)evt.DeepClone(), Verify(context.Request, body)));
            Arrived.TrySetResult();
            if (Hold is { } hold)
            {
                await hold.Task;
            }

            var (status, reply) = Handlers.TryGetValue(name, out var handler) ? handler(evt) : (200, evt.ToJsonString());
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(reply);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or System.Text.Json.JsonException)
        {
        }
    }

    /// <summary>What a receiver in production does: recompute the HMAC over the raw body, compare in constant time, check the age.</summary>
    private static bool Verify(HttpListenerRequest request, byte[] body)
    {
        var timestamp = request.Headers["X-Broker-Trigger-Timestamp"];
        var signature = request.Headers["X-Broker-Trigger-Signature"];
        if (timestamp is null || signature is null || !signature.StartsWith("v1=", StringComparison.Ordinal)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        var signed = Encoding.ASCII.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed);
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(signature[3..]));
    }
}
