using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Tests.Storage;

/// <summary>The failed sign-ins of names that match no user: compare-and-set, expiry, pools apart, pool deletion.</summary>
public abstract partial class StoreContractTests
{
    private ISignInFailureStore SignInFailureStore =>
        Store.SignInFailures ?? throw new AssertionException("The store does not implement ISignInFailureStore.");

    private static readonly SignInFailures TwoFailures = new(2, null, T0);

    [Test]
    public async Task Unknown_name_failures_are_set_from_none_and_read_back_after_a_reopen()
    {
        var pool = await CreateUserPoolAsync();
        var locked = new SignInFailures(6, T0.AddSeconds(2), T0);
        Assert.That(await SignInFailureStore.ReplaceSignInFailuresAsync(pool.Id, "username:nobody", SignInFailures.None, locked, T0.AddMinutes(15), T0, None), Is.True);

        await ReopenAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(await SignInFailureStore.GetSignInFailuresAsync(pool.Id, "username:nobody", T0, None), Is.EqualTo(locked));
            Assert.That(await SignInFailureStore.GetSignInFailuresAsync(pool.Id, "username:other", T0, None), Is.EqualTo(SignInFailures.None));
        });
    }

    [Test]
    public async Task Unknown_name_failures_are_replaced_only_from_the_state_read()
    {
        var pool = await CreateUserPoolAsync();
        var store = SignInFailureStore;
        await store.ReplaceSignInFailuresAsync(pool.Id, "username:nobody", SignInFailures.None, TwoFailures, T0.AddMinutes(15), T0, None);
        var three = new SignInFailures(3, null, T0);
        Assert.Multiple(async () =>
        {
            Assert.That(await store.ReplaceSignInFailuresAsync(pool.Id, "username:nobody", SignInFailures.None, three, T0.AddMinutes(15), T0, None), Is.False,
                "a record exists: none is not the state");
            Assert.That(await store.ReplaceSignInFailuresAsync(pool.Id, "username:nobody", new SignInFailures(1, null, T0), three, T0.AddMinutes(15), T0, None),
                Is.False, "another state");
            Assert.That(await store.ReplaceSignInFailuresAsync(pool.Id, "username:nobody", TwoFailures, three, T0.AddMinutes(15), T0, None), Is.True);
            Assert.That(await store.GetSignInFailuresAsync(pool.Id, "username:nobody", T0, None), Is.EqualTo(three));
        });
    }

    [Test]
    public async Task Concurrent_replacements_of_one_unknown_name_have_one_winner()
    {
        var pool = await CreateUserPoolAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => SignInFailureStore.ReplaceSignInFailuresAsync(
            pool.Id, "username:nobody", SignInFailures.None, new SignInFailures(1, null, T0.AddMilliseconds(i)), T0.AddMinutes(15), T0, None)));
        Assert.That(results.Count(r => r), Is.EqualTo(1));
    }

    [Test]
    public async Task Unknown_name_failures_expire_and_then_count_as_none()
    {
        var pool = await CreateUserPoolAsync();
        var store = SignInFailureStore;
        await store.ReplaceSignInFailuresAsync(pool.Id, "username:nobody", SignInFailures.None, TwoFailures, T0.AddMinutes(15), T0, None);
        var later = T0.AddMinutes(15);
        Assert.Multiple(async () =>
        {
            Assert.That(await store.GetSignInFailuresAsync(pool.Id, "username:nobody", later.AddMilliseconds(-1), None), Is.EqualTo(TwoFailures));
            Assert.That(await store.GetSignInFailuresAsync(pool.Id, "username:nobody", later, None), Is.EqualTo(SignInFailures.None));
            Assert.That(await store.ReplaceSignInFailuresAsync(pool.Id, "username:nobody", SignInFailures.None, new SignInFailures(1, null, later),
                later.AddMinutes(15), later, None), Is.True, "an expired record is none");
        });
    }

    [Test]
    public async Task Unknown_name_failures_belong_to_their_pool_and_go_with_it()
    {
        var pool = await CreateUserPoolAsync();
        var other = await CreateUserPoolAsync();
        var store = SignInFailureStore;
        await store.ReplaceSignInFailuresAsync(pool.Id, "username:nobody", SignInFailures.None, TwoFailures, T0.AddMinutes(15), T0, None);

        Assert.That(await store.GetSignInFailuresAsync(other.Id, "username:nobody", T0, None), Is.EqualTo(SignInFailures.None));
        await Store.UserPools!.DeleteUserPoolAsync(pool.Id, None);
        Assert.That(await store.GetSignInFailuresAsync(pool.Id, "username:nobody", T0, None), Is.EqualTo(SignInFailures.None));
    }
}
