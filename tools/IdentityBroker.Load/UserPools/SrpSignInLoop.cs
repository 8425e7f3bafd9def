using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace IdentityBroker.Load.UserPools;

/// <summary>One pool user the rows sign in as.</summary>
public sealed record LoadUser(string Username, string Password);

/// <summary>
/// SRP sign-in as a closed loop (wrk cannot compute the client half): each worker signs in again and again, InitiateAuth
/// USER_SRP_AUTH then RespondToAuthChallenge PASSWORD_VERIFIER, for the users in turn. One sign-in = both round trips;
/// its latency is the two together, client computation included. The client half runs in this process and competes with
/// the server for the same cores: its CPU share is reported in the "wrk" column.
/// </summary>
public sealed class SrpSignInLoop(Uri url, string clientId, string userPoolId, IReadOnlyList<LoadUser> users, int workers) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = workers, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private readonly string _poolName = userPoolId[(userPoolId.IndexOf('_', StringComparison.Ordinal) + 1)..];

    /// <summary>One complete sign-in; returns the AuthenticationResult.</summary>
    public async Task<JsonElement> SignInAsync(SrpClient srp, LoadUser user)
    {
        ArgumentNullException.ThrowIfNull(srp);
        ArgumentNullException.ThrowIfNull(user);
        var challenge = await PostAsync("InitiateAuth", new
        {
            AuthFlow = "USER_SRP_AUTH",
            ClientId = clientId,
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = user.Username, ["SRP_A"] = srp.SrpA },
        });
        var p = challenge.GetProperty("ChallengeParameters");
        string Get(string name) => p.GetProperty(name).GetString()!;
        var answer = srp.Answer(_poolName, Get("USER_ID_FOR_SRP"), user.Password, Get("SALT"), Get("SRP_B"), Get("SECRET_BLOCK"), DateTimeOffset.UtcNow);
        var session = challenge.TryGetProperty("Session", out var s) ? s.GetString() : null;
        var reply = await PostAsync("RespondToAuthChallenge", new
        {
            ChallengeName = "PASSWORD_VERIFIER",
            ClientId = clientId,
            ChallengeResponses = answer,
            Session = session,
        });
        return reply.GetProperty("AuthenticationResult");
    }

    /// <summary>Signs in for <paramref name="duration"/> with the workers; measures as the wrk rows do.</summary>
    public async Task<RunResult> RunAsync(TimeSpan duration, int serverPid)
    {
        var loadBefore = ProcStats.LoadAverage();
        var latencies = new List<double>[workers];
        long errors = 0;
        var next = -1;
        using var self = Process.GetCurrentProcess();
        var clientBefore = self.TotalProcessorTime;
        var machineBefore = ProcStats.MachineCpu();
        var serverBefore = ProcStats.CpuSeconds(serverPid);
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var srp = new SrpClient();
            var mine = latencies[w] = [];
            while (clock.Elapsed < duration)
            {
                var user = users[(int)((uint)Interlocked.Increment(ref next) % (uint)users.Count)];
                var started = clock.Elapsed;
                try
                {
                    await SignInAsync(srp, user);
                    mine.Add((clock.Elapsed - started).TotalMilliseconds);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or KeyNotFoundException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToList();
        long peak = 0;
        var all = Task.WhenAll(tasks);
        while (!all.IsCompleted)
        {
            peak = Math.Max(peak, ProcStats.MemoryBytes(serverPid));
            await Task.WhenAny(all, Task.Delay(200));
        }

        await all;
        var seconds = clock.Elapsed.TotalSeconds;
        var serverCpu = ProcStats.CpuSeconds(serverPid) - serverBefore;
        self.Refresh();
        var clientCpu = (self.TotalProcessorTime - clientBefore).TotalSeconds;
        var machineAfter = ProcStats.MachineCpu();
        var wall = machineAfter.Total - machineBefore.Total;
        var busy = machineAfter.Busy - machineBefore.Busy;
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        return new RunResult(sorted.Length, seconds, errors, Percentile(0.50), Percentile(0.99),
            clientCpu / wall, serverCpu / wall, Math.Max(0, busy - serverCpu - clientCpu) / wall, peak, loadBefore);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> PostAsync(string operation, object body)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent(body) };
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        using var response = await _http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"{operation}: {(int)response.StatusCode} {text}");
    }

    private static ByteArrayContent JsonContent(object body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        return content;
    }
}
