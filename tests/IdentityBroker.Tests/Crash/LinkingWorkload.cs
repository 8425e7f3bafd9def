using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using IdentityBroker.Identities;
using IdentityBroker.Storage;
using IdentityBroker.Tests.Replicas;

namespace IdentityBroker.Tests.Crash;

/// <summary>
/// Concurrent linking, merging and unlinking over one pool, in workers that each own a few users (so that every
/// login's acknowledged state is known exactly), with the checks to run after the broker is killed.
/// </summary>
/// <remarks>
/// After every answer a worker reads the owners of its logins straight from the store: the state its acknowledged
/// calls left. A kill may cut one call per worker; the logins that call could touch (and the other logins of the
/// identities involved) are the only ones allowed to differ from that state afterwards.
/// </remarks>
internal sealed class LinkingWorkload
{
    public const string DeveloperProvider = "login.crash.dev";

    public static readonly string[] Issuers = ["a", "b"];

    private readonly LoopbackOidcIssuers _issuers;
    private readonly string _poolId;
    private readonly IIdentityStore _store;
    private readonly Worker[] _workers;

    public LinkingWorkload(LoopbackOidcIssuers issuers, string poolId, IIdentityStore store, int workers, int usersPerWorker, int seed)
    {
        _issuers = issuers;
        _poolId = poolId;
        _store = store;
        _workers = [.. Enumerable.Range(0, workers).Select(w => new Worker(w, usersPerWorker, seed + w))];
    }

    /// <summary>Answers by operation and status (and error type), for the test log: proof that merges and unlinks ran.</summary>
    public ConcurrentDictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);

    /// <summary>Every identity id an acknowledged call returned.</summary>
    public ConcurrentDictionary<string, bool> AcknowledgedIdentities { get; } = new(StringComparer.Ordinal);

    /// <summary>Acknowledgements before the kill timer starts: a fresh process is slow at first (JIT), so kills land in full traffic.</summary>
    private const int WarmUpAcknowledgements = 6;

    /// <summary>Runs every worker until the broker is SIGKILLed <paramref name="killDelayMs"/> after the warm-up acknowledgements.</summary>
    public async Task<(int Acknowledged, long KilledAfterMs)> RunUntilKilledAsync(BrokerProcess broker, int killDelayMs)
    {
        var round = new Round();
        foreach (var worker in _workers.Where(w => w.Acknowledged.Count == 0))
        {
            worker.Acknowledged = await ReadOwnersAsync(worker);
        }

        var running = _workers.Select(w => Task.Run(() => RunWorkerAsync(w, broker, round))).ToArray();
        var allStopped = Task.WhenAll(running);
        await Task.WhenAny(round.WarmedUp.Task, allStopped).WaitAsync(TimeSpan.FromSeconds(60)); // stopped early: they report why
        var sinceFirst = Stopwatch.StartNew();
        await Task.Delay(killDelayMs);
        round.Killed = true;
        await broker.KillAsync();
        var killedAfter = sinceFirst.ElapsedMilliseconds;
        await allStopped;
        return (round.Acknowledged, killedAfter);
    }

    /// <summary>With the broker dead: acknowledged state intact, and the store's links consistent.</summary>
    public async Task<List<string>> CheckAfterKillAsync()
    {
        var problems = new List<string>();
        foreach (var worker in _workers)
        {
            problems.AddRange(worker.Problems);
            worker.Problems.Clear();
            var actual = await ReadOwnersAsync(worker);
            foreach (var (login, owner) in actual)
            {
                if (!worker.Uncertain.Contains(login) && worker.Acknowledged[login] != owner)
                {
                    problems.Add($"{login}: acknowledged owner {worker.Acknowledged[login] ?? "(none)"}, after the kill {owner ?? "(none)"}");
                }
            }

            worker.Acknowledged = actual;
            worker.Uncertain.Clear();
        }

        problems.AddRange(await StoreProblemsAsync());
        return problems;
    }

    /// <summary>After a restart, through the public API: listings match the store, and logins resolve as acknowledged.</summary>
    public async Task<List<string>> CheckThroughBrokerAsync(BrokerProcess broker)
    {
        var problems = new List<string>();
        var stored = await ListAsync(hideDisabled: false);
        var listed = new Dictionary<string, int>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, object?> { ["IdentityPoolId"] = _poolId, ["MaxResults"] = 60, ["NextToken"] = token, ["HideDisabled"] = false });
            var page = await SendAsync(broker, "ListIdentities", body, signed: true);
            foreach (var identity in page.GetProperty("Identities").EnumerateArray())
            {
                var logins = identity.TryGetProperty("Logins", out var l) ? l.GetArrayLength() : 0;
                listed[identity.GetProperty("IdentityId").GetString()!] = logins;
            }

            token = page.TryGetProperty("NextToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);

        if (!listed.Keys.ToHashSet().SetEquals(stored.Select(i => i.IdentityId)))
        {
            problems.Add($"ListIdentities lists {listed.Count} identities, the store holds {stored.Count}");
        }

        // The API names each provider once (an identity may hold several developer user ids).
        static int Providers(Identity i) => i.Logins.Select(l => l.Provider).Distinct(StringComparer.Ordinal).Count();
        problems.AddRange(stored.Where(i => listed.TryGetValue(i.IdentityId, out var n) && n != Providers(i))
            .Select(i => $"ListIdentities shows {listed[i.IdentityId]} providers for {i.IdentityId}, the store {Providers(i)}"));
        foreach (var worker in _workers)
        {
            for (var u = 0; u < worker.Users; u++)
            {
                if (worker.Acknowledged[worker.A(_issuers, u)] is { } owner)
                {
                    var got = await SendAsync(broker, "GetId", GetIdBody(worker, u, "a"), signed: false);
                    if (got.GetProperty("IdentityId").GetString() != owner)
                    {
                        problems.Add($"GetId for {worker.A(_issuers, u)} answers {got.GetProperty("IdentityId")}, acknowledged {owner}");
                    }
                }

                var lookup = JsonSerializer.Serialize(new Dictionary<string, object> { ["IdentityPoolId"] = _poolId, ["DeveloperUserIdentifier"] = worker.User(u), ["MaxResults"] = 10 });
                var found = await SendAsync(broker, "LookupDeveloperIdentity", lookup, signed: true, allowError: true);
                var foundId = found.TryGetProperty("IdentityId", out var id) ? id.GetString() : null;
                if (foundId != worker.Acknowledged[worker.D(u)])
                {
                    problems.Add($"LookupDeveloperIdentity {worker.User(u)} answers {foundId ?? "(none)"}, acknowledged {worker.Acknowledged[worker.D(u)] ?? "(none)"}");
                }
            }
        }

        return problems;
    }

    private async Task RunWorkerAsync(Worker worker, BrokerProcess broker, Round round)
    {
        while (!round.Killed)
        {
            var call = worker.NextCall(this);
            var touched = Touched(worker, call);
            HttpResponseMessage response;
            string body;
            try
            {
                var request = BrokerReplica.JsonRequest(call.Operation, call.Body);
                response = await broker.Http.SendAsync(call.Signed ? BrokerReplica.Sign(request, broker.BaseAddress, "cognito-identity", call.Body) : request);
                body = await response.Content.ReadAsStringAsync();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                if (!round.Killed)
                {
                    worker.Problems.Add($"{call.Operation} failed before the kill: {e.Message}");
                }

                worker.Uncertain.UnionWith(touched); // cut by the kill: applied or not
                return;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status >= 500)
                {
                    worker.Problems.Add($"{call.Operation} answered {status}: {body}");
                    worker.Uncertain.UnionWith(touched);
                    return;
                }

                worker.Acknowledged = await ReadOwnersAsync(worker);
                var outcome = status == 200 ? "200" : $"{status} {ErrorType(body)}";
                Outcomes.AddOrUpdate($"{call.Operation} {outcome}", 1, (_, n) => n + 1);
                if (status == 200)
                {
                    round.Acknowledge();
                    var json = JsonDocument.Parse(body.Length == 0 ? "{}" : body).RootElement; // the unlink calls answer nothing
                    if (json.TryGetProperty("IdentityId", out var id))
                    {
                        AcknowledgedIdentities[id.GetString()!] = true;
                    }

                    if (call.Verify(json, worker.Acknowledged) is { } wrong)
                    {
                        worker.Problems.Add($"{call.Operation} acknowledged but the store disagrees: {wrong}");
                    }
                }
            }
        }
    }

    /// <summary>The logins a call may change: those it names, and every login of the identities owning them or named.</summary>
    private static HashSet<LoginKey> Touched(Worker worker, Call call)
    {
        var owners = call.Presented.Select(l => worker.Acknowledged.GetValueOrDefault(l)).Append(call.IdentityId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var touched = call.Presented.ToHashSet();
        touched.UnionWith(worker.Acknowledged.Where(e => e.Value is { } o && owners.Contains(o)).Select(e => e.Key));
        return touched;
    }

    private static string ErrorType(string body) =>
        body.Length > 0 && JsonDocument.Parse(body).RootElement.TryGetProperty("__type", out var type) ? type.GetString() ?? "?" : "?";

    private async Task<Dictionary<LoginKey, string?>> ReadOwnersAsync(Worker worker)
    {
        var owners = new Dictionary<LoginKey, string?>();
        foreach (var login in worker.Logins(_issuers))
        {
            owners[login] = await _store.FindLoginOwnerAsync(_poolId, login, CancellationToken.None);
        }

        return owners;
    }

    private async Task<List<string>> StoreProblemsAsync()
    {
        var problems = new List<string>();
        var all = await ListAsync(hideDisabled: false);
        var enabled = await ListAsync(hideDisabled: true);
        var byId = new Dictionary<string, Identity>(StringComparer.Ordinal);
        foreach (var identity in all)
        {
            if (!byId.TryAdd(identity.IdentityId, identity))
            {
                problems.Add($"identity {identity.IdentityId} listed twice");
            }
        }

        if (!enabled.Select(i => i.IdentityId).ToHashSet().SetEquals(all.Where(i => !i.Disabled).Select(i => i.IdentityId)))
        {
            problems.Add($"HideDisabled lists {enabled.Count} identities, {all.Count(i => !i.Disabled)} are enabled");
        }

        var listedBy = new Dictionary<LoginKey, string>();
        foreach (var identity in all)
        {
            // In this workload only a merge (which empties the merged identity) or unlinking the last login disables.
            if (identity.Disabled != (identity.Logins.Count == 0))
            {
                problems.Add($"identity {identity.IdentityId}: disabled={identity.Disabled} with {identity.Logins.Count} logins (half-merged or half-unlinked)");
            }

            foreach (var login in identity.Logins)
            {
                if (!listedBy.TryAdd(login, identity.IdentityId))
                {
                    problems.Add($"{login} listed by {listedBy[login]} and {identity.IdentityId}");
                }

                var owner = await _store.FindLoginOwnerAsync(_poolId, login, CancellationToken.None);
                if (owner != identity.IdentityId)
                {
                    problems.Add($"{identity.IdentityId} lists {login}, which maps to {owner ?? "(none)"}");
                }
            }
        }

        foreach (var worker in _workers)
        {
            foreach (var (login, owner) in worker.Acknowledged)
            {
                if (owner is not null && !(byId.TryGetValue(owner, out var identity) && identity.Logins.Contains(login)))
                {
                    problems.Add($"{login} maps to {owner}, which does not list it");
                }
            }
        }

        problems.AddRange(AcknowledgedIdentities.Keys.Where(id => !byId.ContainsKey(id)).Select(id => $"acknowledged identity {id} is gone"));
        return problems;
    }

    private async Task<List<Identity>> ListAsync(bool hideDisabled)
    {
        var identities = new List<Identity>();
        string? token = null;
        do
        {
            var page = await _store.ListIdentitiesAsync(_poolId, 60, token, hideDisabled, CancellationToken.None);
            identities.AddRange(page.Items);
            token = page.NextToken;
        }
        while (token is not null);
        return identities;
    }

    private static async Task<JsonElement> SendAsync(BrokerProcess broker, string operation, string body, bool signed, bool allowError = false)
    {
        var request = BrokerReplica.JsonRequest(operation, body);
        using var response = await broker.Http.SendAsync(signed ? BrokerReplica.Sign(request, broker.BaseAddress, "cognito-identity", body) : request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode && !(allowError && (int)response.StatusCode < 500))
        {
            Assert.Fail($"{operation} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private string GetIdBody(Worker worker, int user, params string[] names) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["IdentityPoolId"] = _poolId,
        ["Logins"] = names.ToDictionary(n => _issuers.ProviderKey(n), n => _issuers.Token(n, worker.User(user))),
    });

    /// <summary>One call and what its answer implies about the store (a message when it does not hold).</summary>
    private sealed record Call(
        string Operation, string Body, bool Signed, IReadOnlyList<LoginKey> Presented, string? IdentityId,
        Func<JsonElement, IReadOnlyDictionary<LoginKey, string?>, string?> Verify);

    private sealed class Round
    {
        private int _acknowledged;

        public TaskCompletionSource WarmedUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private volatile bool _killed;

        public bool Killed
        {
            get => _killed;
            set => _killed = value;
        }

        public int Acknowledged => Volatile.Read(ref _acknowledged);

        public void Acknowledge()
        {
            if (Interlocked.Increment(ref _acknowledged) >= WarmUpAcknowledgements)
            {
                WarmedUp.TrySetResult();
            }
        }
    }

    private sealed class Worker(int index, int users, int seed)
    {
        private readonly Random _random = new(seed);

        public int Users => users;

        public Dictionary<LoginKey, string?> Acknowledged { get; set; } = [];

        public HashSet<LoginKey> Uncertain { get; } = [];

        public List<string> Problems { get; } = [];

        public string User(int user) => $"w{index}-u{user}";

        public LoginKey A(LoopbackOidcIssuers issuers, int user) => new(issuers.ProviderKey("a"), User(user));

        public LoginKey B(LoopbackOidcIssuers issuers, int user) => new(issuers.ProviderKey("b"), User(user));

        public LoginKey D(int user) => new(DeveloperProvider, User(user));

        public IEnumerable<LoginKey> Logins(LoopbackOidcIssuers issuers) =>
            Enumerable.Range(0, users).SelectMany(u => new[] { A(issuers, u), B(issuers, u), D(u) });

        public Call NextCall(LinkingWorkload workload)
        {
            var issuers = workload._issuers;
            var pool = workload._poolId;
            var u = _random.Next(users);
            var v = (u + 1 + _random.Next(users - 1)) % users;
            var a = A(issuers, u);
            var b = B(issuers, u);
            var d = D(u);
            var owner = (LoginKey l) => Acknowledged.GetValueOrDefault(l);
            switch (_random.Next(8))
            {
                case 0:
                    return GetId([a], workload.GetIdBody(this, u, "a"));
                case 1:
                    return GetId([a, b], workload.GetIdBody(this, u, "a", "b"));
                case 2:
                    return GetId([b], workload.GetIdBody(this, u, "b"));
                case 3 or 4 when owner(a) is null || _random.Next(2) == 0:
                    return DeveloperToken(pool, d, null);
                case 3 or 4:
                    return DeveloperToken(pool, d, owner(a));
                case 5:
                    var source = D(v);
                    var merge = JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["IdentityPoolId"] = pool, ["DeveloperProviderName"] = DeveloperProvider,
                        ["DestinationUserIdentifier"] = User(u), ["SourceUserIdentifier"] = User(v),
                    });
                    return new Call("MergeDeveloperIdentities", merge, true, [d, source], null, (json, owners) =>
                        owners[d] == json.GetProperty("IdentityId").GetString() && owners[source] == owners[d] ? null : $"{d} and {source} are not both on the merged identity");
                case 6 when owner(d) is { } developerOwner:
                    var unlinkDeveloper = JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["IdentityId"] = developerOwner, ["IdentityPoolId"] = pool,
                        ["DeveloperProviderName"] = DeveloperProvider, ["DeveloperUserIdentifier"] = User(u),
                    });
                    return new Call("UnlinkDeveloperIdentity", unlinkDeveloper, true, [d], developerOwner, (_, owners) =>
                        owners[d] is null ? null : $"{d} still maps to {owners[d]}");
                case 7 when owner(b) is { } bOwner:
                    var unlink = JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["IdentityId"] = bOwner,
                        ["Logins"] = new Dictionary<string, string> { [issuers.ProviderKey("b")] = issuers.Token("b", User(u)) },
                        ["LoginsToRemove"] = new[] { issuers.ProviderKey("b") },
                    });
                    return new Call("UnlinkIdentity", unlink, false, [b], bOwner, (_, owners) =>
                        owners[b] is null ? null : $"{b} still maps to {owners[b]}");
                default:
                    return GetId([b], workload.GetIdBody(this, u, "b"));
            }
        }

        private static Call GetId(IReadOnlyList<LoginKey> logins, string body) =>
            new("GetId", body, false, logins, null, (json, owners) => AllOn(json, owners, logins));

        private static Call DeveloperToken(string pool, LoginKey login, string? identityId)
        {
            var request = new Dictionary<string, object> { ["IdentityPoolId"] = pool, ["Logins"] = new Dictionary<string, string> { [DeveloperProvider] = login.Subject } };
            if (identityId is not null)
            {
                request["IdentityId"] = identityId;
            }

            return new Call("GetOpenIdTokenForDeveloperIdentity", JsonSerializer.Serialize(request), true, [login], identityId, (json, owners) => AllOn(json, owners, [login]));
        }

        private static string? AllOn(JsonElement json, IReadOnlyDictionary<LoginKey, string?> owners, IReadOnlyList<LoginKey> logins)
        {
            var id = json.GetProperty("IdentityId").GetString();
            var elsewhere = logins.Where(l => owners[l] != id).ToList();
            return elsewhere.Count == 0 ? null : $"answered {id}, but {string.Join(", ", elsewhere.Select(l => $"{l} maps to {owners[l] ?? "(none)"}"))}";
        }
    }
}
