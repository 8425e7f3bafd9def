using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Tests.Signing;

public sealed class PrincipalSourceTests
{
    private static readonly StaticPrincipalSource Admin = new([new AccessKey("AKIAADMIN1", "secret-1"), new AccessKey("AKIAADMIN2", "secret-2")], "123456789012");

    [Test]
    public async Task Admin_key_is_the_account_root()
    {
        var principal = await Admin.FindAsync("AKIAADMIN2", null, CancellationToken.None);

        Assert.That(principal, Is.EqualTo(new SigningPrincipal("AKIAADMIN2", "secret-2", "arn:aws:iam::123456789012:root", "123456789012", IsAdmin: true)));
    }

    [Test]
    public async Task Admin_key_with_a_session_token_is_unknown()
    {
        Assert.That(await Admin.FindAsync("AKIAADMIN1", "token", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Unknown_key_is_unknown()
    {
        Assert.That(await Admin.FindAsync("AKIAOTHER", null, CancellationToken.None), Is.Null);
    }

    [Test]
    public void Access_key_text_never_shows_the_secret()
    {
        Assert.That(new AccessKey("AKIAADMIN1", "secret-1").ToString(), Does.Contain("AKIAADMIN1").And.Not.Contain("secret-1"));
    }

    [Test]
    public async Task Composite_returns_the_first_match_in_order()
    {
        var first = new TestPrincipals().Add("ASIATEMP", "first", "token");
        var second = new TestPrincipals().Add("ASIATEMP", "second", "token").Add("AKIAONLYSECOND", "only");
        var composite = new CompositePrincipalSource(first, second);

        Assert.That((await composite.FindAsync("ASIATEMP", "token", CancellationToken.None))!.SecretAccessKey, Is.EqualTo("first"));
        Assert.That((await composite.FindAsync("AKIAONLYSECOND", null, CancellationToken.None))!.SecretAccessKey, Is.EqualTo("only"));
        Assert.That(await composite.FindAsync("AKIANOBODY", null, CancellationToken.None), Is.Null);
    }
}
