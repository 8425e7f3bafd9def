using IdentityBroker.UserPools.HostedUi;

namespace IdentityBroker.Tests.UserPools.HostedUi;

[TestFixture]
public sealed class HostedUiTextTests
{
    [Test]
    public void Every_message_id_has_English_text_and_unknown_ids_are_a_programming_error()
    {
        var english = HostedUiText.English;

        Assert.That(english.Ids, Is.Not.Empty);
        Assert.That(english.Ids.Select(id => english[id]), Has.All.Not.Empty);
        Assert.That(() => english["no.such.message"], Throws.TypeOf<KeyNotFoundException>());
    }

    [Test]
    public void A_translation_answers_its_own_texts_and_falls_back_to_English_for_the_ids_it_leaves_out()
    {
        var french = new HostedUiText("fr", new Dictionary<string, string> { ["button.signIn"] = "Se connecter" });

        Assert.That(french["button.signIn"], Is.EqualTo("Se connecter"));
        Assert.That(french["button.signUp"], Is.EqualTo(HostedUiText.English["button.signUp"]));
        Assert.That(french.Culture, Is.EqualTo("fr"));
    }

    [Test]
    public void Format_fills_the_placeholders_of_a_message() =>
        Assert.That(HostedUiText.English.Format("page.mfa.sms", "+*******0100"), Does.Contain("+*******0100"));
}
