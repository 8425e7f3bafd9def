using IdentityBroker.Iam;
using IdentityBroker.Iam.Roles;
using IdentityBroker.Storage;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Iam.Roles;

public sealed class RoleCachingIamStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private CountingStore _inner = null!;
    private RoleCachingIamStore _store = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _inner = new CountingStore();
        _store = new RoleCachingIamStore(_inner, _time);
        await _store.TryCreateRoleAsync(Role("trust-1"), CancellationToken.None);
    }

    [Test]
    public async Task A_role_is_read_from_the_store_once_while_fresh()
    {
        await _store.GetRoleAsync("Auth", CancellationToken.None);
        await _store.GetRoleAsync("Auth", CancellationToken.None);
        Assert.That(_inner.Reads, Is.EqualTo(1));
    }

    [Test]
    public async Task A_change_elsewhere_is_seen_once_the_entry_is_no_longer_fresh()
    {
        await _store.GetRoleAsync("Auth", CancellationToken.None);
        await _inner.UpdateRoleAsync(Role("trust-2"), CancellationToken.None);
        _time.Advance(RoleCachingIamStore.Freshness);
        var role = await _store.GetRoleAsync("Auth", CancellationToken.None);
        Assert.That(role!.AssumeRolePolicyDocument, Is.EqualTo("trust-2"));
    }

    [Test]
    public async Task An_update_through_the_store_is_seen_by_the_next_read()
    {
        await _store.GetRoleAsync("Auth", CancellationToken.None);
        await _store.UpdateRoleAsync(Role("trust-2"), CancellationToken.None);
        var role = await _store.GetRoleAsync("Auth", CancellationToken.None);
        Assert.That(role!.AssumeRolePolicyDocument, Is.EqualTo("trust-2"));
    }

    [Test]
    public async Task A_deletion_through_the_store_is_seen_by_the_next_read()
    {
        await _store.GetRoleAsync("Auth", CancellationToken.None);
        await _store.DeleteRoleAsync("Auth", CancellationToken.None);
        Assert.That(await _store.GetRoleAsync("Auth", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_creation_through_the_store_replaces_a_cached_absence()
    {
        Assert.That(await _store.GetRoleAsync("Other", CancellationToken.None), Is.Null);
        await _store.TryCreateRoleAsync(Role("trust-1") with { RoleName = "Other", Arn = "arn:aws:iam::000000000000:role/Other" }, CancellationToken.None);
        Assert.That(await _store.GetRoleAsync("Other", CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task A_read_that_overlaps_a_change_is_not_kept()
    {
        // The read starts before the update and returns the old role; the update completes before the read does.
        _inner.BeforeRead = () => _store.UpdateRoleAsync(Role("trust-2"), CancellationToken.None).GetAwaiter().GetResult();
        var stale = await _store.GetRoleAsync("Auth", CancellationToken.None);
        _inner.BeforeRead = null;
        var next = await _store.GetRoleAsync("Auth", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(stale!.AssumeRolePolicyDocument, Is.EqualTo("trust-1"));
            Assert.That(next!.AssumeRolePolicyDocument, Is.EqualTo("trust-2"));
        });
    }

    private IamRole Role(string trust) => new()
    {
        RoleName = "Auth",
        RoleId = "AROAEXAMPLEROLEID0004",
        Arn = "arn:aws:iam::000000000000:role/Auth",
        AssumeRolePolicyDocument = trust,
        CreateDate = _time.GetUtcNow(),
    };

    /// <summary>Counts role reads; <see cref="BeforeRead"/> runs after the read has taken its value.</summary>
    private sealed class CountingStore : IIamStore
    {
        private readonly InMemoryIamStore _inner = new();

        public int Reads { get; private set; }

        public Action? BeforeRead { get; set; }

        public async Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken)
        {
            Reads++;
            var role = await _inner.GetRoleAsync(roleName, cancellationToken);
            BeforeRead?.Invoke();
            return role;
        }

        public Task<bool> TryCreateRoleAsync(IamRole role, CancellationToken cancellationToken) => _inner.TryCreateRoleAsync(role, cancellationToken);

        public Task<bool> UpdateRoleAsync(IamRole role, CancellationToken cancellationToken) => _inner.UpdateRoleAsync(role, cancellationToken);

        public Task<bool> DeleteRoleAsync(string roleName, CancellationToken cancellationToken) => _inner.DeleteRoleAsync(roleName, cancellationToken);

        public Task<IReadOnlyList<IamRole>> ListRolesAsync(CancellationToken cancellationToken) => _inner.ListRolesAsync(cancellationToken);

        public Task<bool> TryCreateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken) => _inner.TryCreateOidcProviderAsync(provider, cancellationToken);

        public Task<OidcProvider?> GetOidcProviderAsync(string arn, CancellationToken cancellationToken) => _inner.GetOidcProviderAsync(arn, cancellationToken);

        public Task<bool> UpdateOidcProviderAsync(OidcProvider provider, CancellationToken cancellationToken) => _inner.UpdateOidcProviderAsync(provider, cancellationToken);

        public Task<bool> DeleteOidcProviderAsync(string arn, CancellationToken cancellationToken) => _inner.DeleteOidcProviderAsync(arn, cancellationToken);

        public Task<IReadOnlyList<OidcProvider>> ListOidcProvidersAsync(CancellationToken cancellationToken) => _inner.ListOidcProvidersAsync(cancellationToken);
    }
}
