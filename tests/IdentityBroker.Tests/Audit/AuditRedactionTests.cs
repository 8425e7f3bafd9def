using System.Text;
using System.Text.Json;
using IdentityBroker.Audit;

namespace IdentityBroker.Tests.Audit;

/// <summary>Request parameters as CloudTrail records them: camelCase names, every token, password, code and secret hidden.</summary>
[TestFixture]
public sealed class AuditRedactionTests
{
    private const string Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

    [Test]
    public void Login_tokens_are_hidden_and_their_provider_names_kept()
    {
        var json = AuditRedaction.FromJson(Encoding.UTF8.GetBytes(
            """{"IdentityId":"us-east-1:abc","Logins":{"accounts.google.com":"eyJhbGciOi.payload.signature"},"CustomRoleArn":"arn:aws:iam::1:role/R"}"""))!;

        var e = JsonDocument.Parse(json).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(e.GetProperty("identityId").GetString(), Is.EqualTo("us-east-1:abc"));
            Assert.That(e.GetProperty("logins").GetProperty("accounts.google.com").GetString(), Is.EqualTo(Hidden));
            Assert.That(e.GetProperty("customRoleArn").GetString(), Is.EqualTo("arn:aws:iam::1:role/R"));
            Assert.That(json, Does.Not.Contain("eyJ"));
        });
    }

    [TestCase("Password")]
    [TestCase("PreviousPassword")]
    [TestCase("ProposedPassword")]
    [TestCase("TemporaryPassword")]
    [TestCase("ConfirmationCode")]
    [TestCase("Code")]
    [TestCase("UserCode")]
    [TestCase("SecretHash")]
    [TestCase("ClientSecret")]
    [TestCase("AccessToken")]
    [TestCase("RefreshToken")]
    [TestCase("Token")]
    [TestCase("Session")]
    [TestCase("WebIdentityToken")]
    [TestCase("SAMLAssertion")]
    public void A_sensitive_member_is_hidden_wherever_it_is(string name)
    {
        var json = AuditRedaction.FromJson(Encoding.UTF8.GetBytes(
            $$"""{"{{name}}":"s3cret-value","Nested":{"{{name}}":"s3cret-value"},"List":[{"{{name}}":"s3cret-value"}]}"""))!;

        Assert.That(json, Does.Not.Contain("s3cret-value"));
        Assert.That(json, Does.Contain(Hidden));
    }

    [Test]
    public void Auth_parameters_and_challenge_responses_keep_their_keys_only()
    {
        var json = AuditRedaction.FromJson(Encoding.UTF8.GetBytes(
            """{"AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"alice","PASSWORD":"pw-1"},"ChallengeResponses":{"SMS_MFA_CODE":"123456"}}"""))!;

        var e = JsonDocument.Parse(json).RootElement;
        Assert.That(e.GetProperty("authFlow").GetString(), Is.EqualTo("USER_PASSWORD_AUTH"));
        Assert.That(e.GetProperty("authParameters").GetProperty("PASSWORD").GetString(), Is.EqualTo(Hidden));
        Assert.That(json, Does.Not.Contain("pw-1").And.Not.Contain("123456"));
    }

    [Test]
    public void Query_parameters_are_camel_cased_without_action_and_version_and_the_token_is_hidden()
    {
        var json = AuditRedaction.FromQuery(new Dictionary<string, string>
        {
            ["Action"] = "AssumeRoleWithWebIdentity",
            ["Version"] = "2011-06-15",
            ["RoleArn"] = "arn:aws:iam::1:role/R",
            ["RoleSessionName"] = "app",
            ["WebIdentityToken"] = "eyJtoken",
        })!;

        var e = JsonDocument.Parse(json).RootElement;
        Assert.That(e.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "roleArn", "roleSessionName", "webIdentityToken" }));
        Assert.That(e.GetProperty("roleSessionName").GetString(), Is.EqualTo("app"));
        Assert.That(e.GetProperty("webIdentityToken").GetString(), Is.EqualTo(Hidden));
    }

    [TestCase("")]
    [TestCase("[1,2]")]
    [TestCase("not json")]
    public void A_body_that_is_not_a_json_object_records_no_parameters(string body) =>
        Assert.That(AuditRedaction.FromJson(Encoding.UTF8.GetBytes(body)), Is.Null);
}
