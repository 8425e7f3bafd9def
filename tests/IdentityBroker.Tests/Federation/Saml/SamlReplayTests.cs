using IdentityBroker.Federation.Saml;

namespace IdentityBroker.Tests.Federation.Saml;

/// <summary>The replay policy of docs/saml.md: reuse as the same login within the validity, nothing else.</summary>
[TestFixture]
[NonParallelizable]
public sealed class SamlReplayTests : SamlValidatorFixture
{
    [Test]
    public async Task The_same_response_is_accepted_again_within_its_validity_as_GetId_then_GetCredentials_do()
    {
        var xml = SignedXml(new SamlResponseSpec());
        var validator = Validator();
        var first = await ValidateAsync(xml, validator);
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = await ValidateAsync(xml, validator);

        Assert.That(first.IsSuccess && second.IsSuccess, Is.True, first.Error?.Message ?? second.Error?.Message);
        Assert.That(second.Value.Subject, Is.EqualTo(first.Value.Subject));
    }

    [Test]
    public async Task The_same_response_is_refused_in_another_pool()
    {
        var xml = SignedXml(new SamlResponseSpec());
        Assert.That((await ValidateAsync(xml)).IsSuccess, Is.True);

        var otherPool = Pool with { IdentityPoolId = "us-east-1:99999999-2222-3333-4444-555555555555" };
        AssertRefused(await ValidateAsync(xml, pool: otherPool), "already used for a different login");
    }

    [Test]
    public async Task Another_response_reusing_a_seen_assertion_ID_is_refused()
    {
        const string id = "_reused-assertion-id";
        Assert.That((await ValidateAsync(SignedXml(new SamlResponseSpec { AssertionId = id }))).IsSuccess, Is.True);

        var forged = SignedXml(new SamlResponseSpec { AssertionId = id, NameId = "bob@example.com" });
        AssertRefused(await ValidateAsync(forged), "already used for a different login");
    }

    [Test]
    public async Task An_assertion_ID_seen_before_is_refused_after_its_first_validity_even_in_a_fresh_response()
    {
        const string id = "_late-assertion-id";
        Assert.That((await ValidateAsync(SignedXml(new SamlResponseSpec { AssertionId = id }))).IsSuccess, Is.True);

        Time.Advance(TimeSpan.FromMinutes(30));
        var now = Time.GetUtcNow();
        var fresh = new SamlResponseSpec { AssertionId = id, NotBefore = now.AddMinutes(-1), NotOnOrAfter = now.AddMinutes(5) };
        AssertRefused(await ValidateAsync(SignedXml(fresh)), "already used");
    }

    [Test]
    public async Task A_OneTimeUse_assertion_is_accepted_once()
    {
        var xml = SignedXml(new SamlResponseSpec { ExtraConditions = "<saml:OneTimeUse/>" });
        var validator = Validator();
        Assert.That((await ValidateAsync(xml, validator)).IsSuccess, Is.True);
        AssertRefused(await ValidateAsync(xml, validator), "OneTimeUse");
    }

    [Test]
    public async Task The_replay_record_outlives_a_restart_of_the_validator()
    {
        const string id = "_persisted-assertion-id";
        Assert.That((await ValidateAsync(SignedXml(new SamlResponseSpec { AssertionId = id }), Validator())).IsSuccess, Is.True);
        var forged = SignedXml(new SamlResponseSpec { AssertionId = id, NameId = "mallory@example.com" });
        AssertRefused(await ValidateAsync(forged, Validator(new SamlOptions())), "already used");
    }
}
