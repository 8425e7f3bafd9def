using IdentityBroker.Tests.UserPools.Tokens;
using IdentityBroker.UserPools.HostedUi;

namespace IdentityBroker.Tests.UserPools.HostedUi;

/// <summary>The form token is the MAC of the browser's cookie token for one pool: nothing else passes.</summary>
[TestFixture]
public sealed class CsrfTokensTests
{
    private const string Pool = "us-east-1_Csrf";

    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Test]
    public void The_form_token_depends_on_the_cookie_token_the_pool_and_the_key()
    {
        var cookie = CsrfTokens.NewCookieToken();
        var token = CsrfTokens.FormToken(Key, cookie, Pool);

        Assert.That(CsrfTokens.FormToken(Key, cookie, Pool), Is.EqualTo(token));
        Assert.That(CsrfTokens.FormToken(Key, CsrfTokens.NewCookieToken(), Pool), Is.Not.EqualTo(token));
        Assert.That(CsrfTokens.FormToken(Key, cookie, "us-east-1_Other"), Is.Not.EqualTo(token));
        Assert.That(CsrfTokens.FormToken(new byte[32], cookie, Pool), Is.Not.EqualTo(token));
    }

    [Test]
    public void New_cookie_tokens_are_well_formed_and_random()
    {
        var first = CsrfTokens.NewCookieToken();

        Assert.That(CsrfTokens.IsWellFormed(first), Is.True);
        Assert.That(CsrfTokens.NewCookieToken(), Is.Not.EqualTo(first));
        Assert.That(CsrfTokens.IsWellFormed("short"), Is.False);
        Assert.That(CsrfTokens.IsWellFormed(null), Is.False);
    }

    [Test]
    public async Task Only_the_form_token_of_the_cookie_it_came_with_passes_the_check()
    {
        await using var kit = new UserPoolTokenKit();
        var tokens = new CsrfTokens(kit.Store, kit.Time);
        var cookie = CsrfTokens.NewCookieToken();
        var form = await tokens.FormTokenAsync(cookie, Pool, default);

        Assert.That(await tokens.CheckAsync(cookie, Pool, form, default), Is.True);
        Assert.That(await tokens.CheckAsync(cookie, Pool, null, default), Is.False, "no form token");
        Assert.That(await tokens.CheckAsync(null, Pool, form, default), Is.False, "no cookie");
        Assert.That(await tokens.CheckAsync(CsrfTokens.NewCookieToken(), Pool, form, default), Is.False, "another browser's cookie");
        Assert.That(await tokens.CheckAsync(cookie, "us-east-1_Other", form, default), Is.False, "another pool");
        Assert.That(await tokens.CheckAsync(cookie, Pool, cookie, default), Is.False, "the cookie itself as the form token");
        Assert.That(await new CsrfTokens(kit.Store, kit.Time).CheckAsync(cookie, Pool, form, default), Is.True,
            "the key is stored, so another broker agrees");
    }
}
