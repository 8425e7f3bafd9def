using IdentityBroker.Iam;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private static IamRole Role(string name) => new()
    {
        RoleName = name,
        RoleId = $"AROA{name.ToUpperInvariant()}",
        Arn = $"arn:aws:iam::000000000000:role/app/{name}",
        Path = "/app/",
        AssumeRolePolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""",
        Description = "role for tests",
        MaxSessionDuration = 7200,
        CreateDate = T0,
        InlinePolicies = new Dictionary<string, string> { ["read"] = """{"Version":"2012-10-17","Statement":[]}""" },
    };

    private static OidcProvider Provider(string host) => new()
    {
        Arn = $"arn:aws:iam::000000000000:oidc-provider/{host}",
        Url = $"https://{host}",
        ClientIds = ["client-a", "client-b"],
        Thumbprints = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
        CreateDate = T0,
    };

    [Test]
    public async Task Keys_are_kept_by_purpose_and_the_first_writer_wins()
    {
        var first = new StoredKey("kid-1", "signing", "material-1", T0);
        var second = new StoredKey("kid-2", "signing", "material-2", T0.AddDays(1));
        var session = new StoredKey("kid-3", "session", "material-3", T0);

        Assert.That(await Store.Keys.TryAddKeyAsync(first, None), Is.True);
        Assert.That(await Store.Keys.TryAddKeyAsync(second, None), Is.True);
        Assert.That(await Store.Keys.TryAddKeyAsync(session, None), Is.True);
        Assert.That(await Store.Keys.TryAddKeyAsync(first with { Material = "late" }, None), Is.False);

        Assert.That(await Store.Keys.GetKeysAsync("signing", None), Is.EquivalentTo(new[] { first, second }));
        Assert.That(await Store.Keys.GetKeysAsync("session", None), Is.EqualTo(new[] { session }));
        Assert.That(await Store.Keys.GetKeysAsync("unknown", None), Is.Empty);
    }

    [Test]
    public async Task Role_round_trips_and_names_are_unique()
    {
        var role = Role("reader");

        Assert.That(await Store.Iam.TryCreateRoleAsync(role, None), Is.True);
        Assert.That(await Store.Iam.TryCreateRoleAsync(role with { Description = "second" }, None), Is.False);

        AssertSameDocument(await Store.Iam.GetRoleAsync("reader", None), role);
    }

    [Test]
    public async Task Role_update_delete_and_list()
    {
        await Store.Iam.TryCreateRoleAsync(Role("a"), None);
        await Store.Iam.TryCreateRoleAsync(Role("b"), None);
        var updated = Role("a") with { MaxSessionDuration = 43200, InlinePolicies = new Dictionary<string, string>() };

        Assert.That(await Store.Iam.UpdateRoleAsync(updated, None), Is.True);
        Assert.That(await Store.Iam.DeleteRoleAsync("b", None), Is.True);

        AssertSameDocument(await Store.Iam.GetRoleAsync("a", None), updated);
        Assert.That(await Store.Iam.GetRoleAsync("b", None), Is.Null);
        Assert.That((await Store.Iam.ListRolesAsync(None)).Select(r => r.RoleName), Is.EquivalentTo(new[] { "a" }));
    }

    [Test]
    public async Task Unknown_role_is_not_found()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Store.Iam.GetRoleAsync("missing", None), Is.Null);
            Assert.That(await Store.Iam.UpdateRoleAsync(Role("missing"), None), Is.False);
            Assert.That(await Store.Iam.DeleteRoleAsync("missing", None), Is.False);
            Assert.That(await Store.Iam.ListRolesAsync(None), Is.Empty);
        }
    }

    [Test]
    public async Task Oidc_provider_round_trips_and_arns_are_unique()
    {
        var provider = Provider("login.example.com");

        Assert.That(await Store.Iam.TryCreateOidcProviderAsync(provider, None), Is.True);
        Assert.That(await Store.Iam.TryCreateOidcProviderAsync(provider with { ClientIds = [] }, None), Is.False);

        var read = await Store.Iam.GetOidcProviderAsync(provider.Arn, None);
        AssertSameDocument(read, provider);
        Assert.That(read!.ProviderKey, Is.EqualTo("login.example.com"));
    }

    [Test]
    public async Task Oidc_provider_update_delete_and_list()
    {
        var kept = Provider("a.example.com");
        var removed = Provider("b.example.com");
        await Store.Iam.TryCreateOidcProviderAsync(kept, None);
        await Store.Iam.TryCreateOidcProviderAsync(removed, None);
        var updated = kept with { ClientIds = ["client-c"], Thumbprints = [] };

        Assert.That(await Store.Iam.UpdateOidcProviderAsync(updated, None), Is.True);
        Assert.That(await Store.Iam.DeleteOidcProviderAsync(removed.Arn, None), Is.True);

        AssertSameDocument(await Store.Iam.GetOidcProviderAsync(kept.Arn, None), updated);
        Assert.That(await Store.Iam.GetOidcProviderAsync(removed.Arn, None), Is.Null);
        Assert.That((await Store.Iam.ListOidcProvidersAsync(None)).Select(p => p.Arn), Is.EquivalentTo(new[] { kept.Arn }));
    }

    [Test]
    public async Task Unknown_oidc_provider_is_not_found()
    {
        var missing = Provider("missing.example.com");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Store.Iam.GetOidcProviderAsync(missing.Arn, None), Is.Null);
            Assert.That(await Store.Iam.UpdateOidcProviderAsync(missing, None), Is.False);
            Assert.That(await Store.Iam.DeleteOidcProviderAsync(missing.Arn, None), Is.False);
            Assert.That(await Store.Iam.ListOidcProvidersAsync(None), Is.Empty);
        }
    }

    [Test]
    public async Task Everything_written_survives_closing_and_reopening_the_store()
    {
        var pool = FullPool();
        await Store.Pools.CreatePoolAsync(pool, None);
        var identity = await CreateIdentityAsync(pool.IdentityPoolId, Google("g-1"));
        var key = new StoredKey("kid-1", "signing", "material", T0);
        await Store.Keys.TryAddKeyAsync(key, None);
        await Store.Iam.TryCreateRoleAsync(Role("reader"), None);
        await Store.Iam.TryCreateOidcProviderAsync(Provider("login.example.com"), None);

        await ReopenAsync();

        AssertSameDocument(await Store.Pools.GetPoolAsync(pool.IdentityPoolId, None), pool);
        AssertSameIdentity(await Store.Identities.GetIdentityAsync(identity.IdentityId, None), identity);
        Assert.That(await Store.Keys.GetKeysAsync("signing", None), Is.EqualTo(new[] { key }));
        AssertSameDocument(await Store.Iam.GetRoleAsync("reader", None), Role("reader"));
        AssertSameDocument(await Store.Iam.GetOidcProviderAsync(Provider("login.example.com").Arn, None), Provider("login.example.com"));
        var again = await Store.Identities.ResolveLoginsAsync(Candidate(pool.IdentityPoolId), [Google("g-1")], Later, None);
        Assert.That(again.Identity!.IdentityId, Is.EqualTo(identity.IdentityId), "the login still maps to its identity");
    }
}
