using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private static IdentityPool FullPool() => new()
    {
        IdentityPoolId = NewPoolId(),
        IdentityPoolName = "Full_pool-1",
        AllowUnauthenticatedIdentities = false,
        AllowClassicFlow = true,
        SupportedLoginProviders = new Dictionary<string, string>
        {
            ["accounts.google.com"] = "123.apps.googleusercontent.com",
            ["graph.facebook.com"] = "7346241598935552",
        },
        DeveloperProviderName = "login.mycompany.myapp",
        OpenIdConnectProviderARNs = ["arn:aws:iam::000000000000:oidc-provider/login.example.com"],
        CognitoIdentityProviders =
        [
            new CognitoIdentityProvider
            {
                ProviderName = "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
                ClientId = "client1",
                ServerSideTokenCheck = false,
            },
        ],
        SamlProviderARNs = ["arn:aws:iam::000000000000:saml-provider/corp"],
        IdentityPoolTags = new Dictionary<string, string> { ["team"] = "identity", ["env"] = "test" },
        Roles = new Dictionary<string, string>
        {
            [RoleTypes.Authenticated] = "arn:aws:iam::000000000000:role/auth",
            [RoleTypes.Unauthenticated] = "arn:aws:iam::000000000000:role/unauth",
        },
        RoleMappings = new Dictionary<string, RoleMapping>
        {
            ["accounts.google.com"] = new() { Type = "Token", AmbiguousRoleResolution = "AuthenticatedRole" },
            ["login.example.com"] = new()
            {
                Type = "Rules",
                AmbiguousRoleResolution = "Deny",
                RulesConfiguration = new RulesConfiguration
                {
                    Rules =
                    [
                        new MappingRule { Claim = "groups", MatchType = "Contains", Value = "admins", RoleARN = "arn:aws:iam::000000000000:role/admin" },
                        new MappingRule { Claim = "email", MatchType = "Equals", Value = "a@example.com", RoleARN = "arn:aws:iam::000000000000:role/a" },
                    ],
                },
            },
        },
        CreationDate = T0,
    };

    [Test]
    public async Task Pool_with_every_optional_field_and_role_mappings_round_trips()
    {
        var pool = FullPool();
        await Store.Pools.CreatePoolAsync(pool, None);

        AssertSameDocument(await Store.Pools.GetPoolAsync(pool.IdentityPoolId, None), pool);
    }

    [Test]
    public async Task Pool_with_no_optional_field_reads_back_with_them_unset()
    {
        var pool = MinimalPool();
        await Store.Pools.CreatePoolAsync(pool, None);

        var read = await Store.Pools.GetPoolAsync(pool.IdentityPoolId, None);

        AssertSameDocument(read, pool);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read!.AllowClassicFlow, Is.Null, "never set is not false (Cognito allows the classic flow then)");
            Assert.That(read.SupportedLoginProviders, Is.Null);
            Assert.That(read.RoleMappings, Is.Null);
            Assert.That(read.Roles, Is.Empty);
        }
    }

    [Test]
    public async Task Unknown_pool_is_not_found()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Store.Pools.GetPoolAsync(NewPoolId(), None), Is.Null);
            Assert.That(await Store.Pools.UpdatePoolAsync(MinimalPool(), None), Is.False);
            Assert.That(await Store.Pools.DeletePoolAsync(NewPoolId(), None), Is.False);
        }
    }

    [Test]
    public async Task Creating_a_pool_id_twice_is_a_programming_error()
    {
        var pool = await CreatePoolAsync();

        Assert.ThrowsAsync<InvalidOperationException>(() => Store.Pools.CreatePoolAsync(pool with { IdentityPoolName = "other" }, None));
        Assert.That((await Store.Pools.GetPoolAsync(pool.IdentityPoolId, None))!.IdentityPoolName, Is.EqualTo("pool"));
    }

    [Test]
    public async Task Update_replaces_the_whole_pool()
    {
        var pool = FullPool();
        await Store.Pools.CreatePoolAsync(pool, None);
        var updated = pool with { IdentityPoolName = "renamed", AllowClassicFlow = null, RoleMappings = null, IdentityPoolTags = null };

        Assert.That(await Store.Pools.UpdatePoolAsync(updated, None), Is.True);

        AssertSameDocument(await Store.Pools.GetPoolAsync(pool.IdentityPoolId, None), updated);
    }

    [Test]
    public async Task Delete_removes_the_pool_and_count_follows()
    {
        var kept = await CreatePoolAsync();
        var deleted = await CreatePoolAsync();
        Assert.That(await Store.Pools.CountPoolsAsync(None), Is.EqualTo(2));

        Assert.That(await Store.Pools.DeletePoolAsync(deleted.IdentityPoolId, None), Is.True);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Store.Pools.GetPoolAsync(deleted.IdentityPoolId, None), Is.Null);
            Assert.That(await Store.Pools.GetPoolAsync(kept.IdentityPoolId, None), Is.Not.Null);
            Assert.That(await Store.Pools.CountPoolsAsync(None), Is.EqualTo(1));
            Assert.That(await Store.Pools.DeletePoolAsync(deleted.IdentityPoolId, None), Is.False);
        }
    }

    [Test]
    public async Task Empty_store_lists_no_pools_and_no_token()
    {
        var page = await Store.Pools.ListPoolsAsync(60, null, None);

        Assert.That(page.Items, Is.Empty);
        Assert.That(page.NextToken, Is.Null);
        Assert.That(await Store.Pools.CountPoolsAsync(None), Is.Zero);
    }

    [Test]
    public async Task Pools_are_listed_in_pages_with_a_token_until_the_last_page()
    {
        var created = new List<string>();
        for (var i = 0; i < 130; i++)
        {
            created.Add((await CreatePoolAsync()).IdentityPoolId);
        }

        var first = await Store.Pools.ListPoolsAsync(60, null, None);
        var second = await Store.Pools.ListPoolsAsync(60, first.NextToken, None);
        var third = await Store.Pools.ListPoolsAsync(60, second.NextToken, None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Items, Has.Count.EqualTo(60));
            Assert.That(first.NextToken, Is.Not.Null);
            Assert.That(second.Items, Has.Count.EqualTo(60));
            Assert.That(second.NextToken, Is.Not.Null);
            Assert.That(third.Items, Has.Count.EqualTo(10));
            Assert.That(third.NextToken, Is.Null);
            var listed = first.Items.Concat(second.Items).Concat(third.Items).Select(p => p.IdentityPoolId).ToList();
            Assert.That(listed, Is.Unique);
            Assert.That(listed, Is.EquivalentTo(created));
            Assert.That(await Store.Pools.CountPoolsAsync(None), Is.EqualTo(130));
        }
    }

    [Test]
    public async Task A_full_last_page_has_no_token()
    {
        for (var i = 0; i < 4; i++)
        {
            await CreatePoolAsync();
        }

        var first = await Store.Pools.ListPoolsAsync(2, null, None);
        var last = await Store.Pools.ListPoolsAsync(2, first.NextToken, None);

        Assert.That(last.Items, Has.Count.EqualTo(2));
        Assert.That(last.NextToken, Is.Null);
    }

    [Test]
    public async Task A_pool_token_stays_valid_when_pools_are_deleted_between_pages()
    {
        var created = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            created.Add((await CreatePoolAsync()).IdentityPoolId);
        }

        var first = await Store.Pools.ListPoolsAsync(4, null, None);
        var seen = first.Items.Select(p => p.IdentityPoolId).ToList();
        var unseen = created.Except(seen).ToList();
        // The last item of the page is the one a cursor token points at; delete it and one pool still to come.
        await Store.Pools.DeletePoolAsync(seen[^1], None);
        await Store.Pools.DeletePoolAsync(unseen[0], None);

        var rest = new List<string>();
        var token = first.NextToken;
        while (token is not null)
        {
            var page = await Store.Pools.ListPoolsAsync(4, token, None);
            rest.AddRange(page.Items.Select(p => p.IdentityPoolId));
            token = page.NextToken;
        }

        Assert.That(rest, Is.EquivalentTo(unseen.Skip(1)));
    }

    [TestCase("not a token")]
    [TestCase("!!!")]
    [TestCase("%00%01")]
    [TestCase("")]
    public void A_malformed_pool_token_is_rejected_with_its_own_exception(string token) =>
        Assert.ThrowsAsync<InvalidNextTokenException>(() => Store.Pools.ListPoolsAsync(10, token, None));
}
