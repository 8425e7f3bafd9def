using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.Tests.Sts;

public sealed class AssumeRoleWithWebIdentityTests
{
    private StsFixture _f = null!;

    [SetUp]
    public void SetUp() => _f = new StsFixture();

    [Test]
    public async Task Broker_token_under_cognito_principal_returns_credentials_and_the_sts_xml()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());

        var (response, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()));

        Assert.That(response.StatusCode, Is.EqualTo(200));
        Assert.That(xml.Root!.Name.NamespaceName, Is.EqualTo("https://sts.amazonaws.com/doc/2011-06-15/"));
        Assert.That(StsFixture.Value(xml, "AccessKeyId"), Does.Match("^ASIA[A-Z2-7]{16}$"));
        Assert.That(StsFixture.Value(xml, "Arn"), Is.EqualTo("arn:aws:sts::000000000000:assumed-role/Auth/CognitoIdentityCredentials"));
        Assert.That(StsFixture.Value(xml, "AssumedRoleId"), Is.EqualTo(role.RoleId + ":CognitoIdentityCredentials"));
        Assert.That(StsFixture.Value(xml, "SubjectFromWebIdentityToken"), Is.EqualTo(StsFixture.IdentityId));
        Assert.That(StsFixture.Value(xml, "Audience"), Is.EqualTo(StsFixture.PoolId));
        Assert.That(StsFixture.Value(xml, "Provider"), Is.EqualTo("cognito-identity.amazonaws.com"));
        Assert.That(StsFixture.Value(xml, "Expiration"), Is.EqualTo("2026-03-01T13:00:00Z"));
        Assert.That(StsFixture.Value(xml, "PackedPolicySize"), Is.Null);
    }

    [Test]
    public async Task Unreachable_provider_is_an_idp_communication_error_not_a_server_error()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        _f.Keys.Unreachable.Add(StsFixture.BrokerIssuer);

        var (response, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()));

        Assert.That(response.StatusCode, Is.EqualTo(400));
        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("IDPCommunicationError"));
    }

    [Test]
    public async Task Broker_token_under_its_oidc_provider_arn_reports_the_issuer_host_as_provider()
    {
        var role = await _f.CreateRoleAsync("AuthOidc", TrustPolicies.BrokerOidc());

        var (response, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()));

        Assert.That(response.StatusCode, Is.EqualTo(200));
        Assert.That(StsFixture.Value(xml, "Provider"), Is.EqualTo("broker.example.com"));
    }

    [Test]
    public async Task Guest_token_cannot_assume_an_authenticated_role_under_the_oidc_arn_principal()
    {
        var role = await _f.CreateRoleAsync("AuthOidc", TrustPolicies.BrokerOidc());

        var (response, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims(StsFixture.PoolId + ":unauthenticated")));

        Assert.That(response.StatusCode, Is.EqualTo(403));
        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("AccessDenied"));
    }

    [Test]
    public async Task Guest_token_presents_the_bare_pool_id_under_the_cognito_principal()
    {
        var role = await _f.CreateRoleAsync("Guest", TrustPolicies.Cognito(
            ""","ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"unauthenticated"}"""));

        var (response, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims(StsFixture.PoolId + ":unauthenticated")));

        Assert.That(response.StatusCode, Is.EqualTo(200));
        Assert.That(StsFixture.Value(xml, "Audience"), Is.EqualTo(StsFixture.PoolId + ":unauthenticated"));
    }

    [Test]
    public async Task Amr_condition_on_the_cognito_principal_keeps_guests_out_of_the_authenticated_role()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito(
            ""","ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}"""));

        var (guest, _) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims(StsFixture.PoolId + ":unauthenticated")));
        var (user, _) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()));

        Assert.That(guest.StatusCode, Is.EqualTo(403));
        Assert.That(user.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task Third_party_token_is_trusted_only_under_its_provider_arn()
    {
        var role = await _f.CreateRoleAsync("Partner", TrustPolicies.ThirdParty());
        var claims = new Dictionary<string, object>
        {
            ["iss"] = StsFixture.ThirdPartyIssuer, ["aud"] = "client-1", ["sub"] = "user-42", ["iat"] = _f.Now, ["exp"] = _f.Now + 300,
        };

        var (response, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(claims, _f.ThirdPartyKey));

        Assert.That(response.StatusCode, Is.EqualTo(200));
        Assert.That(StsFixture.Value(xml, "Provider"), Is.EqualTo("idp.example.com/tenant"));
    }

    [Test]
    public async Task Third_party_token_for_an_unregistered_client_is_an_incorrect_audience()
    {
        var role = await _f.CreateRoleAsync("Partner", TrustPolicies.ThirdParty());
        var claims = new Dictionary<string, object>
        {
            ["iss"] = StsFixture.ThirdPartyIssuer, ["aud"] = "client-2", ["sub"] = "user-42", ["iat"] = _f.Now, ["exp"] = _f.Now + 300,
        };

        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(claims, _f.ThirdPartyKey));

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("InvalidIdentityToken"));
        Assert.That(StsFixture.Value(xml, "Message"), Is.EqualTo("Incorrect token audience"));
    }

    [Test]
    public async Task Cognito_principal_is_not_offered_for_third_party_tokens()
    {
        var role = await _f.CreateRoleAsync("Auth", """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}
            """);
        var claims = new Dictionary<string, object>
        {
            ["iss"] = StsFixture.ThirdPartyIssuer, ["aud"] = "client-1", ["sub"] = "user-42", ["iat"] = _f.Now, ["exp"] = _f.Now + 300,
        };

        var (response, _) = await _f.AssumeAsync(role.Arn, _f.Sign(claims, _f.ThirdPartyKey));

        Assert.That(response.StatusCode, Is.EqualTo(403));
    }

    [Test]
    public async Task Expired_token_is_ExpiredTokenException_with_aws_wording()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var claims = _f.BrokerClaims();
        claims["iat"] = _f.Now - 1000;
        claims["exp"] = _f.Now - 1;

        var (response, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(claims));

        Assert.That(response.StatusCode, Is.EqualTo(400));
        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("ExpiredTokenException"));
        Assert.That(StsFixture.Value(xml, "Message"), Does.StartWith("Token expired: current date/time "));
    }

    [Test]
    public async Task Token_from_the_future_is_refused()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var claims = _f.BrokerClaims();
        claims["nbf"] = _f.Now + 3600;
        claims["exp"] = _f.Now + 7200;

        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(claims));

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("InvalidIdentityToken"));
    }

    [Test]
    public async Task Hs256_token_is_refused_even_with_a_known_kid()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var hmac = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "broker-1" };

        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims(), hmac, SecurityAlgorithms.HmacSha256));

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("InvalidIdentityToken"));
    }

    // One rule set (JwtRules): the broker's own tokens only with the algorithms it signs with (RS512, ES256).
    [Test]
    public async Task Broker_token_signed_with_another_algorithm_of_the_broker_key_is_refused()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var (accepted, _) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()));

        var (response, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims(), _f.BrokerKey, SecurityAlgorithms.RsaSha256));

        Assert.That(accepted.StatusCode, Is.EqualTo(200));
        Assert.That(response.StatusCode, Is.EqualTo(400));
        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("InvalidIdentityToken"));
        Assert.That(StsFixture.Value(xml, "Message"), Is.EqualTo("The web identity token is signed with an unsupported algorithm: RS256."));
    }

    // One reader (JwtReader): a crit header is refused by STS as by Cognito (RFC 7515 §4.1.11).
    [Test]
    public async Task Third_party_token_with_a_crit_header_is_refused()
    {
        var role = await _f.CreateRoleAsync("Partner", TrustPolicies.ThirdParty());
        var claims = _f.ThirdPartyClaims();
        var header = Base64UrlEncoder.Encode("""{"alg":"ES256","kid":"idp-1","typ":"JWT","crit":["exp"]}""");
        var input = header + "." + Base64UrlEncoder.Encode(System.Text.Json.JsonSerializer.Serialize(claims));
        var signature = _f.ThirdPartyKey.ECDsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256);
        var (accepted, _) = await _f.AssumeAsync(role.Arn, _f.Sign(claims, _f.ThirdPartyKey));

        var (response, xml) = await _f.AssumeAsync(role.Arn, input + "." + Base64UrlEncoder.Encode(signature));

        Assert.That(accepted.StatusCode, Is.EqualTo(200));
        Assert.That(response.StatusCode, Is.EqualTo(400));
        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("InvalidIdentityToken"));
    }

    [Test]
    public async Task Unsigned_alg_none_token_is_refused()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var header = Base64UrlEncoder.Encode("""{"alg":"none","kid":"broker-1"}""");
        var payload = Base64UrlEncoder.Encode(
            $$"""{"iss":"{{StsFixture.BrokerIssuer}}","aud":"{{StsFixture.PoolId}}","sub":"{{StsFixture.IdentityId}}","exp":{{_f.Now + 600}}}""");

        var (_, xml) = await _f.AssumeAsync(role.Arn, $"{header}.{payload}.");

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("InvalidIdentityToken"));
    }

    [Test]
    public async Task Unknown_kid_is_refused()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims(), StsFixture.OtherRsaKey));

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("InvalidIdentityToken"));
    }

    [Test]
    public async Task Signature_by_another_key_under_a_known_kid_is_refused()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var impostor = new RsaSecurityKey(StsFixture.OtherRsaKey.Rsa) { KeyId = "broker-1" };

        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims(), impostor));

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("InvalidIdentityToken"));
    }

    [Test]
    public async Task Unknown_issuer_is_refused()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var claims = _f.BrokerClaims();
        claims["iss"] = "https://evil.example.com";

        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(claims));

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("InvalidIdentityToken"));
    }

    [Test]
    public async Task Token_without_aud_is_refused()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var claims = _f.BrokerClaims();
        claims.Remove("aud");

        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(claims));

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("InvalidIdentityToken"));
    }

    [TestCase("899", "ValidationError")]
    [TestCase("43201", "ValidationError")]
    [TestCase("abc", "ValidationError")]
    public async Task Out_of_model_duration_is_a_validation_error(string duration, string code)
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());

        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()), new() { ["DurationSeconds"] = duration });

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo(code));
    }

    [Test]
    public async Task Duration_beyond_the_roles_maximum_is_refused_with_aws_wording()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito(), maxSessionDuration: 3600);

        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()), new() { ["DurationSeconds"] = "7200" });

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("ValidationError"));
        Assert.That(StsFixture.Value(xml, "Message"), Is.EqualTo("The requested DurationSeconds exceeds the MaxSessionDuration set for this role."));
    }

    [Test]
    public async Task Trust_for_another_pool_is_access_denied()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito().Replace(StsFixture.PoolId, "us-east-1:00000000-0000-0000-0000-000000000000", StringComparison.Ordinal));

        var (response, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()));

        Assert.That(response.StatusCode, Is.EqualTo(403));
        Assert.That(StsFixture.Value(xml, "Message"), Is.EqualTo("Not authorized to perform sts:AssumeRoleWithWebIdentity"));
    }

    [Test]
    public async Task Missing_role_is_access_denied()
    {
        var (response, xml) = await _f.AssumeAsync("arn:aws:iam::000000000000:role/Nope", _f.Sign(_f.BrokerClaims()));

        Assert.That(response.StatusCode, Is.EqualTo(403));
        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("AccessDenied"));
    }

    [Test]
    public async Task Session_tags_need_TagSession_in_the_trust_policy()
    {
        var without = await _f.CreateRoleAsync("NoTags", TrustPolicies.Cognito());
        var with = await _f.CreateRoleAsync("Tags", TrustPolicies.CognitoWithTagSession());
        var claims = _f.BrokerClaims();
        claims["https://aws.amazon.com/tags"] = new Dictionary<string, object>
        {
            ["principal_tags"] = new Dictionary<string, object> { ["team"] = new[] { "blue" } },
        };
        var token = _f.Sign(claims);

        var (denied, deniedXml) = await _f.AssumeAsync(without.Arn, token);
        var (allowed, allowedXml) = await _f.AssumeAsync(with.Arn, token);

        Assert.That(denied.StatusCode, Is.EqualTo(403));
        Assert.That(StsFixture.Value(deniedXml, "Message"), Is.EqualTo("Not authorized to perform sts:TagSession"));
        Assert.That(allowed.StatusCode, Is.EqualTo(200));
        Assert.That(StsFixture.Value(allowedXml, "PackedPolicySize"), Is.Not.Null);
    }

    [Test]
    public async Task Malformed_session_policy_is_MalformedPolicyDocument()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());

        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()), new() { ["Policy"] = "{\"Statement\":" });

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("MalformedPolicyDocument"));
    }

    [TestCase("RoleSessionName", "a")]
    [TestCase("RoleSessionName", "has space")]
    [TestCase("WebIdentityToken", "abc")]
    [TestCase("RoleArn", "arn:aws:iam::1:role")]
    public async Task Parameter_constraints_of_the_model_are_validation_errors(string name, string value)
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());

        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()), new() { [name] = value });

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("ValidationError"));
    }

    [Test]
    public async Task More_than_ten_policy_arns_is_a_validation_error()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var arns = Enumerable.Range(1, 11).ToDictionary(i => $"PolicyArns.member.{i}.arn", i => $"arn:aws:iam::000000000000:policy/p{i}");

        var (_, xml) = await _f.AssumeAsync(role.Arn, _f.Sign(_f.BrokerClaims()), arns);

        Assert.That(StsFixture.ErrorCode(xml), Is.EqualTo("ValidationError"));
    }

    [Test]
    public async Task Error_replies_never_echo_the_token()
    {
        var role = await _f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var claims = _f.BrokerClaims();
        claims["exp"] = _f.Now - 5;
        var token = _f.Sign(claims);

        var (response, _) = await _f.AssumeAsync(role.Arn, token);

        Assert.That(Encoding.UTF8.GetString(response.Body.Span), Does.Not.Contain(token[..20]));
    }
}
