using System.Text;
using System.Text.Json;
using IdentityBroker.Identities;
using IdentityBroker.Storage.Redis;

namespace IdentityBroker.Tests.Storage;

/// <summary>
/// An identity's logins as the Redis store keeps them (a JSON array of [provider, subject] pairs): the link script compares
/// the stored bytes as a version and the delete script decodes them with Lua's cjson, so the format stays as it was.
/// </summary>
public sealed class RedisLoginsCodecTests
{
    [Test]
    public void The_stored_form_is_an_array_of_provider_subject_pairs_in_link_order() =>
        Assert.That(Encoding.UTF8.GetString(LoginsCodec.Encode([new LoginKey("accounts.example.com", "u1"), new LoginKey("graph.facebook.com", "42")])),
            Is.EqualTo("""[["accounts.example.com","u1"],["graph.facebook.com","42"]]"""));

    [Test]
    public void No_logins_is_an_empty_array() =>
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(LoginsCodec.Encode([])), Is.EqualTo("[]"));
            Assert.That(LoginsCodec.Decode("[]"u8), Is.Empty);
        });

    [Test]
    public void Logins_with_quotes_backslashes_and_non_ascii_text_come_back_unchanged_and_in_order()
    {
        LoginKey[] logins =
        [
            new("login.example.com", "Zoë \"quoted\" \\ back\\slash"),
            new("cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab", "名前:1"),
            new("accounts.example.com", "😀\u0001"),
        ];

        Assert.That(LoginsCodec.Decode(LoginsCodec.Encode(logins)), Is.EqualTo(logins));
    }

    [Test]
    public void Text_written_without_escapes_reads_the_same() =>
        Assert.That(LoginsCodec.Decode(Encoding.UTF8.GetBytes("""[ ["p.example.com" , "Zoë"] ]""")),
            Is.EqualTo(new[] { new LoginKey("p.example.com", "Zoë") }));

    [TestCase("""{"p":"s"}""")]
    [TestCase("""[["only-provider"]]""")]
    [TestCase("""[["p","s","extra"]]""")]
    [TestCase("""[["p",1]]""")]
    [TestCase("""[["p","s"]""")]
    public void A_value_that_is_not_pairs_of_strings_is_refused(string stored) =>
        Assert.That(() => LoginsCodec.Decode(Encoding.UTF8.GetBytes(stored)), Throws.InstanceOf<JsonException>());
}
