using IdentityBroker.Federation.Saml;

namespace IdentityBroker.Tests.Federation.Saml;

/// <summary>The valid baselines and the checks of conditions, audience, recipient, issuer, status, algorithms.</summary>
[TestFixture]
[NonParallelizable]
public sealed class SamlLoginValidatorTests : SamlValidatorFixture
{
    [Test]
    public async Task A_signed_assertion_is_accepted_with_its_NameID_amr_and_multi_valued_attributes()
    {
        var result = await ValidateAsync(SignedXml(new SamlResponseSpec()));

        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
        var login = result.Value;
        Assert.That(login.ProviderKey, Is.EqualTo(SamlResponseSpec.ProviderArn));
        Assert.That(login.Subject, Is.EqualTo("alice@example.com"));
        Assert.That(login.AuthenticationReference, Is.EqualTo($"{SamlResponseSpec.ProviderArn}:SAML:alice@example.com"));
        Assert.That(login.Claims[SamlResponseSpec.RoleAttribute], Has.Count.EqualTo(2));
        Assert.That(login.Claims[SamlResponseSpec.RoleAttribute][1], Does.StartWith("arn:aws:iam::000000000000:role/Writer,"));
        Assert.That(login.Claims["department"], Is.EqualTo(new[] { "finance" }));
    }

    [Test]
    public async Task The_login_expires_at_the_earliest_SessionNotOnOrAfter_and_has_no_expiry_without_one()
    {
        var session = SamlResponseSpec.Now.AddHours(8);
        var result = await ValidateAsync(SignedXml(new SamlResponseSpec { SessionNotOnOrAfter = SamlResponseSpec.Time(session) }));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
        Assert.That(result.Value.ExpiresAt, Is.EqualTo(session), "the session's end, not the assertion's five-minute NotOnOrAfter");

        var none = await ValidateAsync(SignedXml(new SamlResponseSpec()));
        Assert.That(none.Value.ExpiresAt, Is.Null);
    }

    [Test]
    public async Task An_assertion_whose_session_has_ended_or_whose_SessionNotOnOrAfter_is_not_a_time_is_refused()
    {
        AssertRefused(await ValidateAsync(SignedXml(new SamlResponseSpec { SessionNotOnOrAfter = SamlResponseSpec.Time(SamlResponseSpec.Now.AddMinutes(-10)) })),
            "session has ended");
        AssertRefused(await ValidateAsync(SignedXml(new SamlResponseSpec { SessionNotOnOrAfter = "tomorrow" })), "not a valid time");
    }

    [Test]
    public async Task A_signed_response_is_accepted()
    {
        var result = await ValidateAsync(SignedXml(new SamlResponseSpec { Signed = SignedPart.Response }));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
    }

    [Test]
    public async Task A_response_signed_twice_is_accepted()
    {
        var result = await ValidateAsync(SignedXml(new SamlResponseSpec { Signed = SignedPart.Both }));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
    }

    [Test]
    public async Task The_validator_handles_only_the_pools_SAML_provider_ARNs()
    {
        var validator = Validator();
        Assert.That(await validator.HandlesAsync(Pool, SamlResponseSpec.ProviderArn, CancellationToken.None), Is.True);
        Assert.That(await validator.HandlesAsync(Pool with { SamlProviderARNs = null }, SamlResponseSpec.ProviderArn, CancellationToken.None), Is.False);
        Assert.That(await validator.HandlesAsync(Pool, "arn:aws:iam::000000000000:saml-provider/Unknown", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task An_unsigned_response_is_refused() =>
        AssertRefused(await ValidateAsync(SignedXml(new SamlResponseSpec { Signed = SignedPart.None })), "is signed");

    [Test]
    public async Task A_signature_by_a_key_not_in_the_metadata_is_refused() =>
        AssertRefused(await ValidateAsync(SignedXml(new SamlResponseSpec(), OtherSigner)), "does not verify");

    [Test]
    public async Task A_NameID_changed_after_signing_is_refused()
    {
        var xml = SignedXml(new SamlResponseSpec()).Replace("alice@example.com", "admin@example.com", StringComparison.Ordinal);
        AssertRefused(await ValidateAsync(xml), "does not verify");
    }

    [Test]
    public async Task An_expired_assertion_is_refused()
    {
        var xml = SignedXml(new SamlResponseSpec());
        Time.Advance(TimeSpan.FromMinutes(7) + TimeSpan.FromSeconds(1)); // NotOnOrAfter + 5 min, skew 2 min.
        AssertRefused(await ValidateAsync(xml), "expired");
    }

    [Test]
    public async Task An_assertion_within_the_skew_after_NotOnOrAfter_is_accepted()
    {
        var xml = SignedXml(new SamlResponseSpec());
        Time.Advance(TimeSpan.FromMinutes(6));
        Assert.That((await ValidateAsync(xml)).IsSuccess, Is.True);
    }

    [Test]
    public async Task A_not_yet_valid_assertion_is_refused()
    {
        var spec = new SamlResponseSpec { NotBefore = SamlResponseSpec.Now.AddMinutes(10), NotOnOrAfter = SamlResponseSpec.Now.AddMinutes(20) };
        AssertRefused(await ValidateAsync(SignedXml(spec)), "not yet valid");
    }

    [Test]
    public async Task A_wrong_audience_is_refused() =>
        AssertRefused(await ValidateAsync(SignedXml(new SamlResponseSpec { Audience = "urn:example:other-sp" })), "audience");

    [Test]
    public async Task A_configured_audience_is_accepted()
    {
        var options = new SamlOptions { Audiences = ["urn:example:broker"] };
        var result = await ValidateAsync(SignedXml(new SamlResponseSpec { Audience = "urn:example:broker" }), Validator(options));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
    }

    [Test]
    public async Task A_wrong_recipient_is_refused()
    {
        var spec = new SamlResponseSpec { Recipient = "https://evil.example.com/acs", Destination = SamlOptions.AmazonRecipient };
        AssertRefused(await ValidateAsync(SignedXml(spec)), "SubjectConfirmationData Recipient");
    }

    [Test]
    public async Task A_wrong_destination_is_refused()
    {
        var spec = new SamlResponseSpec { Destination = "https://evil.example.com/acs" };
        AssertRefused(await ValidateAsync(SignedXml(spec)), "Destination");
    }

    [Test]
    public async Task A_configured_recipient_replaces_the_AWS_default()
    {
        var options = new SamlOptions { Recipients = ["https://broker.example.com/saml"] };
        var ours = await ValidateAsync(SignedXml(new SamlResponseSpec { Recipient = "https://broker.example.com/saml" }), Validator(options));
        Assert.That(ours.IsSuccess, Is.True, ours.Error?.Message);
        AssertRefused(await ValidateAsync(SignedXml(new SamlResponseSpec()), Validator(options)), "accepted recipient");
    }

    [Test]
    public async Task A_wrong_issuer_is_refused() =>
        AssertRefused(await ValidateAsync(SignedXml(new SamlResponseSpec { Issuer = "https://evil.example.com/metadata" })), "Issuer");

    [Test]
    public async Task A_status_other_than_Success_is_refused() =>
        AssertRefused(await ValidateAsync(SignedXml(new SamlResponseSpec { Status = "urn:oasis:names:tc:SAML:2.0:status:Requester" })), "not Success");

    [Test]
    public async Task SHA1_is_refused_by_default() =>
        AssertRefused(await ValidateAsync(SignedXml(new SamlResponseSpec { Sha1 = true })), "SHA-1");

    [Test]
    public async Task SHA1_is_accepted_only_with_the_unsafe_switch()
    {
        var result = await ValidateAsync(SignedXml(new SamlResponseSpec { Sha1 = true }), Validator(new SamlOptions { AllowSha1 = true }));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
    }

    [Test]
    public async Task A_condition_the_broker_does_not_understand_is_refused()
    {
        var spec = new SamlResponseSpec { ExtraConditions = "<saml:Condition xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"saml:ConditionAbstractType\"/>" };
        AssertRefused(await ValidateAsync(SignedXml(spec)), "does not understand");
    }

    [Test]
    public async Task Text_that_is_not_base64_is_refused()
    {
        var result = await Validator().ValidateAsync(Pool, SamlResponseSpec.ProviderArn, "not base64 at all!", CancellationToken.None);
        AssertRefused(result, "base64");
    }

    [Test]
    public async Task A_provider_whose_metadata_validity_has_ended_is_refused()
    {
        var xml = SignedXml(new SamlResponseSpec { NotOnOrAfter = SamlResponseSpec.Now.AddYears(2) });
        Time.Advance(TimeSpan.FromDays(366));
        AssertRefused(await ValidateAsync(xml), "ValidUntil");
    }

    [Test]
    public async Task The_refusal_never_echoes_the_response()
    {
        var result = await ValidateAsync(SignedXml(new SamlResponseSpec { Audience = "urn:example:other-sp" }));
        Assert.That(result.Error!.Message, Does.Not.Contain("urn:example:other-sp").And.Not.Contain("alice"));
    }
}
