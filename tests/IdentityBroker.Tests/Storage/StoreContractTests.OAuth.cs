using IdentityBroker.Storage;
using IdentityBroker.UserPools.Domains;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.ResourceServers;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private IUserPoolDomainStore Domains =>
        Store.UserPools as IUserPoolDomainStore ?? throw new AssertionException("The store does not implement IUserPoolDomainStore.");

    private IAuthorizationCodeStore AuthorizationCodes =>
        Store.UserPools as IAuthorizationCodeStore ?? throw new AssertionException("The store does not implement IAuthorizationCodeStore.");

    private IResourceServerStore ResourceServers =>
        Store.UserPools as IResourceServerStore ?? throw new AssertionException("The store does not implement IResourceServerStore.");

    private static string NewPrefix() => "d" + Guid.NewGuid().ToString("N")[..12];

    private static AuthorizationCode NewAuthorizationCode(string userPoolId) => new(userPoolId, Guid.NewGuid().ToString("N"), "client1",
        "https://app.example/cb", ["openid", "email"], "sub-1", T0, T0.AddMinutes(5), "nonce-1", new string('a', 43), "S256");

    [Test]
    public async Task A_domain_is_found_by_prefix_and_by_pool_survives_a_reopen_and_a_prefix_or_a_pool_holds_only_one()
    {
        var pool = await CreateUserPoolAsync();
        var other = await CreateUserPoolAsync();
        var domain = new UserPoolDomain(NewPrefix(), pool.Id, 1, T0);

        Assert.That(await Domains.TryCreateDomainAsync(domain, None), Is.EqualTo(DomainCreation.Created));
        Assert.That(await Domains.TryCreateDomainAsync(domain with { UserPoolId = other.Id }, None), Is.EqualTo(DomainCreation.DomainTaken));
        Assert.That(await Domains.TryCreateDomainAsync(domain with { Domain = NewPrefix() }, None), Is.EqualTo(DomainCreation.PoolHasDomain));
        await ReopenAsync();

        AssertSameDocument(await Domains.GetDomainAsync(domain.Domain, None), domain);
        AssertSameDocument(await Domains.GetDomainOfPoolAsync(pool.Id, None), domain);
        Assert.That(await Domains.GetDomainOfPoolAsync(other.Id, None), Is.Null);
    }

    [Test]
    public async Task A_domain_is_updated_and_deleted_only_by_its_own_pool_and_its_prefix_is_free_again_after()
    {
        var pool = await CreateUserPoolAsync();
        var other = await CreateUserPoolAsync();
        var domain = new UserPoolDomain(NewPrefix(), pool.Id, 1, T0);
        await Domains.TryCreateDomainAsync(domain, None);

        Assert.That(await Domains.UpdateDomainAsync(domain with { UserPoolId = other.Id, ManagedLoginVersion = 2 }, None), Is.False);
        Assert.That(await Domains.UpdateDomainAsync(domain with { ManagedLoginVersion = 2 }, None), Is.True);
        Assert.That((await Domains.GetDomainAsync(domain.Domain, None))!.ManagedLoginVersion, Is.EqualTo(2));
        Assert.That(await Domains.DeleteDomainAsync(domain.Domain, other.Id, None), Is.False);
        Assert.That(await Domains.DeleteDomainAsync(domain.Domain, pool.Id, None), Is.True);
        Assert.That(await Domains.DeleteDomainAsync(domain.Domain, pool.Id, None), Is.False);

        Assert.That(await Domains.GetDomainAsync(domain.Domain, None), Is.Null);
        Assert.That(await Domains.TryCreateDomainAsync(domain with { UserPoolId = other.Id }, None), Is.EqualTo(DomainCreation.Created));
    }

    [Test]
    public async Task An_authorization_code_is_taken_once_only_from_its_own_pool_and_never_stored_for_a_missing_pool()
    {
        var pool = await CreateUserPoolAsync();
        var other = await CreateUserPoolAsync();
        var code = NewAuthorizationCode(pool.Id);
        await AuthorizationCodes.PutAuthorizationCodeAsync(code, T0, None);

        Assert.That(await AuthorizationCodes.TakeAuthorizationCodeAsync(other.Id, code.CodeHash, None), Is.Null);
        AssertSameDocument(await AuthorizationCodes.TakeAuthorizationCodeAsync(pool.Id, code.CodeHash, None), code);
        Assert.That(await AuthorizationCodes.TakeAuthorizationCodeAsync(pool.Id, code.CodeHash, None), Is.Null);

        var orphan = NewAuthorizationCode(NewUserPool().Id);
        await AuthorizationCodes.PutAuthorizationCodeAsync(orphan, T0, None);
        Assert.That(await AuthorizationCodes.TakeAuthorizationCodeAsync(orphan.UserPoolId, orphan.CodeHash, None), Is.Null);
    }

    [Test]
    public async Task Of_concurrent_redemptions_of_one_authorization_code_exactly_one_gets_it()
    {
        var pool = await CreateUserPoolAsync();
        var code = NewAuthorizationCode(pool.Id);
        await AuthorizationCodes.PutAuthorizationCodeAsync(code, T0, None);

        var takes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => AuthorizationCodes.TakeAuthorizationCodeAsync(pool.Id, code.CodeHash, None))));

        Assert.That(takes.Count(t => t is not null), Is.EqualTo(1));
    }

    [Test]
    public async Task A_resource_server_round_trips_is_unique_per_pool_is_replaced_by_update_and_goes_with_its_pool()
    {
        var pool = await CreateUserPoolAsync();
        var server = new ResourceServer(pool.Id, "https://api.example.com", "api", [new ResourceServerScope("read", "Read")]);

        Assert.That(await ResourceServers.TryCreateResourceServerAsync(server, None), Is.True);
        Assert.That(await ResourceServers.TryCreateResourceServerAsync(server with { Name = "again" }, None), Is.False);
        Assert.That(await ResourceServers.TryCreateResourceServerAsync(server with { UserPoolId = NewUserPool().Id }, None), Is.False);
        await ReopenAsync();
        AssertSameDocument(await ResourceServers.GetResourceServerAsync(pool.Id, server.Identifier, None), server);

        var updated = server with { Name = "api2", Scopes = [] };
        Assert.That(await ResourceServers.UpdateResourceServerAsync(updated, None), Is.True);
        Assert.That(await ResourceServers.UpdateResourceServerAsync(updated with { Identifier = "missing" }, None), Is.False);
        AssertSameDocument(await ResourceServers.GetResourceServerAsync(pool.Id, server.Identifier, None), updated);

        Assert.That(await UserPools.DeleteUserPoolAsync(pool.Id, None), Is.True);
        Assert.That(await ResourceServers.GetResourceServerAsync(pool.Id, server.Identifier, None), Is.Null);
    }

    [Test]
    public async Task Resource_servers_are_listed_in_creation_order_a_page_at_a_time_and_deleted_once()
    {
        var pool = await CreateUserPoolAsync();
        foreach (var name in new[] { "b", "a", "c" })
        {
            await ResourceServers.TryCreateResourceServerAsync(new ResourceServer(pool.Id, name, name, []), None);
        }

        var first = await ResourceServers.ListResourceServersAsync(pool.Id, 2, null, None);
        var second = await ResourceServers.ListResourceServersAsync(pool.Id, 2, first.NextToken, None);
        Assert.That(first.Items.Select(s => s.Identifier), Is.EqualTo(new[] { "b", "a" }));
        Assert.That(second.Items.Select(s => s.Identifier), Is.EqualTo(new[] { "c" }));
        Assert.That(second.NextToken, Is.Null);

        Assert.That(await ResourceServers.DeleteResourceServerAsync(pool.Id, "a", None), Is.True);
        Assert.That(await ResourceServers.DeleteResourceServerAsync(pool.Id, "a", None), Is.False);
    }
}
