using System.Diagnostics;
using IdentityBroker.Identities;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private const int Parallel = 50;

    [Test]
    public async Task Parallel_first_logins_of_one_user_yield_exactly_one_identity()
    {
        var pool = await CreatePoolAsync();
        var candidates = Enumerable.Range(0, Parallel).Select(_ => Candidate(pool.IdentityPoolId)).ToList();

        var (results, elapsed) = await RunTogetherAsync(
            candidates, c => Store.Identities.ResolveLoginsAsync(c, [Google("same-user")], T0, None));
        await TestContext.Out.WriteLineAsync($"{Parallel} parallel ResolveLogins, same new login: {elapsed.TotalMilliseconds:F1} ms");

        var ids = results.Select(r => r.Identity!.IdentityId).Distinct().ToList();
        Assert.That(ids, Has.Count.EqualTo(1), "every caller names the same identity");
        Assert.That(results.Count(r => r.Kind == LoginResolutionKind.Created), Is.EqualTo(1));
        Assert.That(results.Count(r => r.Kind == LoginResolutionKind.Existing), Is.EqualTo(Parallel - 1));
        Assert.That(candidates.Select(c => c.IdentityId), Does.Contain(ids[0]));
        var listed = await Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, 60, null, false, None);
        Assert.That(listed.Items.Select(i => i.IdentityId), Is.EqualTo(ids), "the pool holds one identity");
    }

    [Test]
    public async Task Parallel_first_logins_of_different_users_all_create_identities()
    {
        var pool = await CreatePoolAsync();
        var requests = Enumerable.Range(0, Parallel).Select(i => (Candidate: Candidate(pool.IdentityPoolId), Login: Google($"user-{i}"))).ToList();

        var (results, elapsed) = await RunTogetherAsync(
            requests, r => Store.Identities.ResolveLoginsAsync(r.Candidate, [r.Login], T0, None));
        await TestContext.Out.WriteLineAsync($"{Parallel} parallel ResolveLogins, distinct new logins: {elapsed.TotalMilliseconds:F1} ms");

        Assert.That(results.Select(r => r.Kind), Is.All.EqualTo(LoginResolutionKind.Created));
        Assert.That(results.Select(r => r.Identity!.IdentityId), Is.EquivalentTo(requests.Select(r => r.Candidate.IdentityId)));
        for (var i = 0; i < Parallel; i++)
        {
            Assert.That(results[i].Identity!.Logins, Is.EqualTo(new[] { requests[i].Login }));
        }

        var listed = await Store.Identities.ListIdentitiesAsync(pool.IdentityPoolId, 60, null, false, None);
        Assert.That(listed.Items, Has.Count.EqualTo(Parallel));
    }

    [Test]
    public async Task Parallel_links_of_different_providers_to_one_guest_all_land()
    {
        var pool = await CreatePoolAsync();
        var guest = await CreateIdentityAsync(pool.IdentityPoolId);
        var logins = Enumerable.Range(0, 10).Select(i => new LoginKey($"provider-{i}.example.com", "s")).ToList();

        var (results, _) = await RunTogetherAsync(logins, l => Store.Identities.ResolveLoginsAsync(guest, [l], Later, None));

        Assert.That(results.Select(r => r.Kind), Is.All.EqualTo(LoginResolutionKind.Existing));
        var stored = await Store.Identities.GetIdentityAsync(guest.IdentityId, None);
        Assert.That(stored!.Logins, Is.EquivalentTo(logins));
    }

    [Test]
    public async Task Parallel_adds_of_one_key_id_have_exactly_one_winner()
    {
        var keys = Enumerable.Range(0, 20).Select(i => new StoredKey("kid-1", "signing", $"material-{i}", T0)).ToList();

        var (added, _) = await RunTogetherAsync(keys, k => Store.Keys.TryAddKeyAsync(k, None));

        Assert.That(added.Count(a => a), Is.EqualTo(1));
        var winner = keys[Array.IndexOf(added, true)];
        Assert.That(await Store.Keys.GetKeysAsync("signing", None), Is.EqualTo(new[] { winner }));
    }

    /// <summary>
    /// Releases every call at once, each continuing on its own thread-pool work item, so that the store sees them
    /// together. The gate is awaited, not waited on, so no pool thread blocks and the timing is the store's.
    /// </summary>
    private static async Task<(TResult[] Results, TimeSpan Elapsed)> RunTogetherAsync<TInput, TResult>(
        IReadOnlyList<TInput> inputs, Func<TInput, Task<TResult>> call)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = inputs.Select(async input =>
        {
            await start.Task;
            return await call(input);
        }).ToArray();
        var stopwatch = Stopwatch.StartNew();
        start.SetResult();
        var results = await Task.WhenAll(tasks);
        return (results, stopwatch.Elapsed);
    }
}
