using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace IdentityBroker.Load;

/// <summary>
/// redis-server's per-command call counts (INFO commandstats), read before and after a measured run to tell how many
/// round trips of which commands one request costs the store. Spoken in RESP over a plain socket: one command, one reply.
/// </summary>
public static class RedisCommandStats
{
    public static async Task<Dictionary<string, long>> ReadAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n"u8.ToArray());
        var reply = new StringBuilder();
        var buffer = new byte[8192];
        int? expected = null;
        while (expected is null || Encoding.UTF8.GetByteCount(reply.ToString()) < expected)
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            reply.Append(Encoding.UTF8.GetString(buffer, 0, read));
            var text = reply.ToString();
            var header = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (expected is null && header > 0 && text[0] == '$')
            {
                expected = header + 2 + int.Parse(text[1..header], CultureInfo.InvariantCulture) + 2;
            }
        }

        return Parse(reply.ToString());
    }

    /// <summary>"cmdstat_evalsha:calls=12,usec=..." lines as command → calls.</summary>
    public static Dictionary<string, long> Parse(string info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in info.Split('\n'))
        {
            if (!line.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = line[(colon + 1)..].Split(',').FirstOrDefault(f => f.StartsWith("calls=", StringComparison.Ordinal));
            if (colon > 0 && field is not null && long.TryParse(field["calls=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                calls[line["cmdstat_".Length..colon]] = n;
            }
        }

        return calls;
    }

    /// <summary>Commands per request between two readings, most frequent first ("evalsha 2.00, hget 1.00").</summary>
    public static string PerRequest(Dictionary<string, long> before, Dictionary<string, long> after, long requests)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var per = after.Select(a => (a.Key, Calls: a.Value - before.GetValueOrDefault(a.Key)))
            .Where(c => c.Calls > 0 && c.Key is not ("info" or "ping"))
            .OrderByDescending(c => c.Calls)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {(double)c.Calls / Math.Max(1, requests):F2}"));
        return string.Join(", ", per);
    }
}
