using System.Text.Json;
using IdentityBroker.Tests.UserPools.Tokens;
using IdentityBroker.UserPools.Federation;

namespace IdentityBroker.Tests.UserPools.Federation;

/// <summary>The <c>identities</c> attribute and claim as Cognito writes them.</summary>
[TestFixture]
public sealed class FederatedIdentityTests
{
    private static readonly FederatedIdentity Google =
        new("1234", "Google", "Google", null, true, DateTimeOffset.FromUnixTimeMilliseconds(1642699117273));

    [Test]
    public void The_attribute_is_a_JSON_array_with_primary_a_boolean_and_dateCreated_in_milliseconds_and_reads_back()
    {
        var value = FederatedIdentity.Serialize([Google]);
        var entry = JsonDocument.Parse(value).RootElement[0];

        Assert.Multiple(() =>
        {
            Assert.That(entry.GetProperty("userId").GetString(), Is.EqualTo("1234"));
            Assert.That(entry.GetProperty("issuer").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(entry.GetProperty("primary").GetBoolean(), Is.True);
            Assert.That(entry.GetProperty("dateCreated").GetInt64(), Is.EqualTo(1642699117273));
            Assert.That(FederatedIdentity.Parse(value), Is.EqualTo(new[] { Google }));
        });
    }

    [TestCase("not json")]
    [TestCase("{\"userId\":\"1\"}")]
    [TestCase("[{\"providerName\":\"Google\"}]")]
    public void A_value_not_of_Cognitos_shape_holds_no_identities(string value) =>
        Assert.That(FederatedIdentity.Parse(value), Is.Empty);

    [Test]
    public void A_subject_link_and_an_attribute_link_hold_different_keys()
    {
        var byAttribute = Google with { UserId = "email:1234", LinkAttribute = "email" };

        Assert.That(Google.Key, Is.Not.EqualTo(byAttribute.Key));
        Assert.That(Google.Key, Is.EqualTo(FederatedIdentity.SubjectKey("Google", "1234")));
    }

    [Test]
    public async Task The_id_token_carries_the_identities_as_the_developer_guide_shows_them_and_the_federated_username()
    {
        await using var kit = await new UserPoolTokenKit().WithPoolAsync();
        var attributes = new Dictionary<string, string> { ["identities"] = FederatedIdentity.Serialize([Google]), ["email"] = "g@example.com" };
        var grant = kit.Grant() with { Username = "Google_1234", Attributes = attributes };

        var tokens = await kit.Tokens.IssueAsync(grant, "11111111-2222-3333-4444-555555555555", CancellationToken.None);
        var id = UserPoolTokenKit.Payload(tokens.IdToken);
        var claim = id.GetProperty("identities")[0];

        Assert.Multiple(() =>
        {
            Assert.That(id.GetProperty("cognito:username").GetString(), Is.EqualTo("Google_1234"));
            Assert.That(id.GetProperty("identities").ValueKind, Is.EqualTo(JsonValueKind.Array), "a JSON array, not a string holding one");
            Assert.That(claim.GetProperty("providerName").GetString(), Is.EqualTo("Google"));
            Assert.That(claim.GetProperty("primary").GetString(), Is.EqualTo("true"));
            Assert.That(claim.GetProperty("dateCreated").GetString(), Is.EqualTo("1642699117273"));
            Assert.That(claim.GetProperty("issuer").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }
}
