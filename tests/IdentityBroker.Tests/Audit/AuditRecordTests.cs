using System.Text.Json;
using IdentityBroker.Audit;
using IdentityBroker.Errors;
using IdentityBroker.Mapping;
using IdentityBroker.Observability;
using static IdentityBroker.Tests.Mapping.MappingTestKit;

namespace IdentityBroker.Tests.Audit;

/// <summary>The CloudTrail record of one call, field by field, and the decision it carries for each way a role is chosen or refused.</summary>
[TestFixture]
public sealed class AuditRecordTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 30, 15, TimeSpan.Zero);
    private static readonly AuditEventBuilder Builder = new("eu-west-1", "123456789012");

    private static (AuditRecord Record, JsonElement Event) Build(
        string service, string operation, CallDetails? details, string? accessKeyId = null, string? errorType = null)
    {
        var call = new CallCompleted(service, operation, accessKeyId, errorType is null ? 200 : 400, errorType, TimeSpan.FromMilliseconds(3), "req-1", "192.0.2.7")
        {
            Details = details,
        };
        var record = Builder.Build(in call, "evt-1", At)!;
        return (record, JsonDocument.Parse(record.CloudTrailEvent).RootElement.Clone());
    }

    private static CallDetails Details(string? parameters, CallAuditCapture? capture = null, string? identityId = null, string? arn = null, string? userId = null) =>
        new("aws-cli/2.15 Python/3.11", parameters, capture, identityId, arn, userId);

    private static CallAuditCapture Decided(CredentialDecision decision, string? keyId = null) => new()
    {
        Decision = decision,
        IdentityPoolId = PoolId,
        IdentityId = "us-east-1:abc",
        IssuedAccessKeyId = keyId,
        IssuedExpiration = keyId is null ? null : At.AddHours(1),
    };

    [Test]
    public void A_get_credentials_record_has_cloudtrails_fields_the_unknown_caller_and_only_the_access_key_id_of_the_credentials()
    {
        var role = Resolve(Pool(), null);
        var capture = Decided(CredentialDecision.Allowed([new DecidedLogin(Oidc, "user-7")], role, new Dictionary<string, string>()), "ASIAISSUED");
        var (record, e) = Build("cognito-identity", "GetCredentialsForIdentity",
            Details("{\"identityId\":\"us-east-1:abc\",\"logins\":{\"login.example.com\":\"HIDDEN_DUE_TO_SECURITY_REASONS\"}}", capture, "us-east-1:abc"));

        Assert.Multiple(() =>
        {
            Assert.That(e.GetProperty("eventVersion").GetString(), Is.EqualTo("1.08"));
            Assert.That(e.GetProperty("eventTime").GetString(), Is.EqualTo("2026-12-07T10:30:15Z"));
            Assert.That(e.GetProperty("eventSource").GetString(), Is.EqualTo("cognito-identity.amazonaws.com"));
            Assert.That(e.GetProperty("eventName").GetString(), Is.EqualTo("GetCredentialsForIdentity"));
            Assert.That(e.GetProperty("awsRegion").GetString(), Is.EqualTo("eu-west-1"));
            Assert.That(e.GetProperty("sourceIPAddress").GetString(), Is.EqualTo("192.0.2.7"));
            Assert.That(e.GetProperty("userAgent").GetString(), Is.EqualTo("aws-cli/2.15 Python/3.11"));
            Assert.That(e.GetProperty("userIdentity").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "type", "accountId" }),
                "an unsigned caller: CloudTrail's Unknown type and the account, as Cognito's unauthenticated events show it");
            Assert.That(e.GetProperty("userIdentity").GetProperty("type").GetString(), Is.EqualTo("Unknown"));
            Assert.That(e.GetProperty("requestParameters").GetProperty("identityId").GetString(), Is.EqualTo("us-east-1:abc"));
            Assert.That(e.GetProperty("responseElements").GetProperty("credentials").EnumerateObject().Select(p => p.Name),
                Is.EquivalentTo(new[] { "accessKeyId", "expiration" }));
            Assert.That(e.GetProperty("responseElements").GetProperty("credentials").GetProperty("accessKeyId").GetString(), Is.EqualTo("ASIAISSUED"));
            Assert.That(e.GetProperty("responseElements").GetProperty("identityId").GetString(), Is.EqualTo("us-east-1:abc"));
            Assert.That(e.TryGetProperty("errorCode", out _), Is.False);
            Assert.That(e.GetProperty("requestID").GetString(), Is.EqualTo("req-1"));
            Assert.That(e.GetProperty("eventID").GetString(), Is.EqualTo("evt-1"));
            Assert.That(e.GetProperty("readOnly").GetBoolean(), Is.False);
            Assert.That(e.GetProperty("eventType").GetString(), Is.EqualTo("AwsApiCall"));
            Assert.That(e.GetProperty("recipientAccountId").GetString(), Is.EqualTo("123456789012"));
            Assert.That(e.GetProperty("additionalEventData").GetProperty("identityPoolId").GetString(), Is.EqualTo(PoolId));
            Assert.That(record.Resources.Select(r => r.ResourceName), Is.EquivalentTo(new[] { PoolId, "us-east-1:abc", AuthRole }));
            Assert.That(record.AccessKeyId, Is.Null);
            Assert.That(record.Username, Is.Null);
        });
    }

    [Test]
    public void The_admin_key_is_the_root_user_and_its_username_is_root()
    {
        var (record, e) = Build("iam", "ListRoles", Details(null, arn: "arn:aws:iam::123456789012:root", userId: "123456789012"), "AKIAADMIN");

        var identity = e.GetProperty("userIdentity");
        Assert.Multiple(() =>
        {
            Assert.That(identity.GetProperty("type").GetString(), Is.EqualTo("Root"));
            Assert.That(identity.GetProperty("arn").GetString(), Is.EqualTo("arn:aws:iam::123456789012:root"));
            Assert.That(identity.GetProperty("accessKeyId").GetString(), Is.EqualTo("AKIAADMIN"));
            Assert.That(e.GetProperty("eventSource").GetString(), Is.EqualTo("iam.amazonaws.com"));
            Assert.That(e.GetProperty("readOnly").GetBoolean(), Is.True);
            Assert.That(record.Username, Is.EqualTo("root"));
            Assert.That(record.AccessKeyId, Is.EqualTo("AKIAADMIN"));
        });
    }

    [Test]
    public void A_session_of_the_embedded_sts_is_an_assumed_role_with_its_role_as_session_issuer()
    {
        var (record, e) = Build("cognito-identity", "DescribeIdentityPool",
            Details(null, arn: "arn:aws:sts::123456789012:assumed-role/Auth/CognitoIdentityCredentials", userId: "AROAEXAMPLE:CognitoIdentityCredentials"), "ASIASESSION");

        var identity = e.GetProperty("userIdentity");
        var issuer = identity.GetProperty("sessionContext").GetProperty("sessionIssuer");
        Assert.Multiple(() =>
        {
            Assert.That(identity.GetProperty("type").GetString(), Is.EqualTo("AssumedRole"));
            Assert.That(identity.GetProperty("principalId").GetString(), Is.EqualTo("AROAEXAMPLE:CognitoIdentityCredentials"));
            Assert.That(issuer.GetProperty("type").GetString(), Is.EqualTo("Role"));
            Assert.That(issuer.GetProperty("arn").GetString(), Is.EqualTo("arn:aws:iam::123456789012:role/Auth"));
            Assert.That(issuer.GetProperty("userName").GetString(), Is.EqualTo("Auth"));
            Assert.That(record.Username, Is.EqualTo("CognitoIdentityCredentials"));
        });
    }

    [Test]
    public void An_error_reply_records_its_code_and_message_and_no_response_elements()
    {
        var details = new CallDetails(null, null, null, null, null, null) { ErrorMessage = "Identity 'x' not found." };
        var (_, e) = Build("cognito-identity", "GetCredentialsForIdentity", details, errorType: "ResourceNotFoundException");

        Assert.Multiple(() =>
        {
            Assert.That(e.GetProperty("errorCode").GetString(), Is.EqualTo("ResourceNotFoundException"));
            Assert.That(e.GetProperty("errorMessage").GetString(), Is.EqualTo("Identity 'x' not found."));
            Assert.That(e.GetProperty("responseElements").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public void Calls_to_other_services_and_unrouted_calls_make_no_record()
    {
        var admin = new CallCompleted("admin", "simulate", "AKIA", 200, null, TimeSpan.Zero, "r", null);
        var unrouted = new CallCompleted(CallCompleted.Unrouted, CallCompleted.Unrouted, null, 400, "UnknownOperationException", TimeSpan.Zero, "r", null);

        Assert.That(Builder.Build(in admin, "e", At), Is.Null);
        Assert.That(Builder.Build(in unrouted, "e", At), Is.Null);
    }

    [Test]
    public void The_decision_of_a_rule_names_the_provider_the_rule_index_claim_match_type_and_value()
    {
        var pool = WithMapping(Oidc, Rules("Deny", Rule("dept", "Equals", "sales", Viewer), Rule("dept", "Contains", "eng", Editor)));
        var role = Resolve(pool, null, Login(Oidc, C("dept", "engineering"), C("sub", "u-1")));
        var tags = new Dictionary<string, string> { ["dept"] = "engineering" };
        var decision = Decision(CredentialDecision.Allowed([new DecidedLogin(Oidc, "u-1")], role, tags));

        var r = decision.GetProperty("role");
        Assert.Multiple(() =>
        {
            Assert.That(decision.GetProperty("allowed").GetBoolean(), Is.True);
            Assert.That(decision.GetProperty("logins")[0].GetProperty("provider").GetString(), Is.EqualTo(Oidc));
            Assert.That(decision.GetProperty("logins")[0].GetProperty("subject").GetString(), Is.EqualTo("u-1"));
            Assert.That(r.GetProperty("roleArn").GetString(), Is.EqualTo(Editor));
            Assert.That(r.GetProperty("chosenBy").GetString(), Is.EqualTo("Rules"));
            Assert.That(r.GetProperty("provider").GetString(), Is.EqualTo(Oidc));
            Assert.That(r.GetProperty("rule").GetProperty("index").GetInt32(), Is.EqualTo(1));
            Assert.That(r.GetProperty("rule").GetProperty("claim").GetString(), Is.EqualTo("dept"));
            Assert.That(r.GetProperty("rule").GetProperty("matchType").GetString(), Is.EqualTo("Contains"));
            Assert.That(r.GetProperty("rule").GetProperty("value").GetString(), Is.EqualTo("eng"));
            Assert.That(decision.GetProperty("sessionTags").GetProperty("dept").GetString(), Is.EqualTo("engineering"));
            Assert.That(decision.TryGetProperty("refusal", out _), Is.False);
        });
    }

    [Test]
    public void The_decision_of_a_token_mapping_names_the_token_claim()
    {
        var role = Resolve(WithMapping(UserPoolKey, Token("Deny")), null, Login(UserPoolKey, C("cognito:preferred_role", Admin)));
        var r = Decision(CredentialDecision.Allowed([], role, new Dictionary<string, string>())).GetProperty("role");

        Assert.That(r.GetProperty("chosenBy").GetString(), Is.EqualTo("Token"));
        Assert.That(r.GetProperty("tokenClaim").GetString(), Is.EqualTo("cognito:preferred_role"));
        Assert.That(r.GetProperty("roleArn").GetString(), Is.EqualTo(Admin));
    }

    [Test]
    public void The_decision_of_the_default_role_says_so()
    {
        var role = Resolve(Pool(), null, Login(Oidc, C("sub", "u")));
        var r = Decision(CredentialDecision.Allowed([], role, new Dictionary<string, string>())).GetProperty("role");

        Assert.That(r.GetProperty("chosenBy").GetString(), Is.EqualTo("Default"));
        Assert.That(r.GetProperty("source").GetString(), Is.EqualTo("DefaultAuthenticated"));
        Assert.That(r.TryGetProperty("rule", out _), Is.False);
    }

    [Test]
    public void A_refused_decision_carries_the_error_and_exactly_why()
    {
        var pool = WithMapping(Oidc, Rules("Deny", Rule("dept", "Equals", "sales", Viewer)));
        var role = Resolve(pool, null, Login(Oidc, C("dept", "hr")));
        var decision = Decision(CredentialDecision.RoleRefused([new DecidedLogin(Oidc, "u")], role));

        var refusal = decision.GetProperty("refusal");
        Assert.Multiple(() =>
        {
            Assert.That(decision.GetProperty("allowed").GetBoolean(), Is.False);
            Assert.That(refusal.GetProperty("errorCode").GetString(), Is.EqualTo("NotAuthorizedException"));
            Assert.That(refusal.GetProperty("reason").GetString(), Does.Contain("none of the 1 rules matched").And.Contain("AmbiguousRoleResolution is Deny"));
            Assert.That(decision.GetProperty("role").GetProperty("source").GetString(), Is.EqualTo("AmbiguousDenied"));
        });
    }

    [Test]
    public void A_refusal_before_any_role_has_no_role_and_says_why()
    {
        var decision = Decision(CredentialDecision.Refused([], null, new AwsError("NotAuthorizedException", "Invalid login token."), "the logins did not validate"));

        Assert.That(decision.TryGetProperty("role", out _), Is.False);
        Assert.That(decision.GetProperty("refusal").GetProperty("reason").GetString(), Is.EqualTo("the logins did not validate"));
    }

    private static JsonElement Decision(CredentialDecision decision)
    {
        var capture = Decided(decision);
        var (_, e) = Build("cognito-identity", "GetCredentialsForIdentity", Details("{}", capture), errorType: decision.Refusal?.Type);
        return e.GetProperty("additionalEventData").GetProperty("decision");
    }
}
