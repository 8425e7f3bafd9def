using System.Text.Json;
using IdentityBroker.Audit;
using IdentityBroker.Server.Console;

namespace IdentityBroker.Tests.AdminConsole;

public sealed class ConsolePiecesTests
{
    [Test]
    public void The_diff_keeps_common_lines_and_marks_removed_and_added_ones()
    {
        var diff = LineDiff.Compare("{\n  \"a\": 1,\n  \"b\": 2\n}", "{\n  \"a\": 1,\n  \"b\": 3,\n  \"c\": 4\n}");
        Assert.That(diff.Select(l => $"{l.Kind}{l.Text}"), Is.EqualTo(new[]
        {
            " {", "   \"a\": 1,", "-  \"b\": 2", "+  \"b\": 3,", "+  \"c\": 4", " }",
        }));
        Assert.That(LineDiff.HasChanges(LineDiff.Compare("same", "same")), Is.False);
    }

    [Test]
    public void A_decision_flattens_to_path_value_pairs_whatever_its_fields()
    {
        using var json = JsonDocument.Parse("""{"allowed":true,"logins":[{"provider":"p","subject":"s"}],"role":{"rule":{"index":0,"claim":"dept"},"newField":"x"}}""");
        Assert.That(AuditView.Flatten(json.RootElement), Is.EqualTo(new[]
        {
            "allowed=true", "logins[0].provider=p", "logins[0].subject=s", "role.rule.index=0", "role.rule.claim=dept", "role.newField=x",
        }));
    }

    [Test]
    public void The_decision_of_an_audit_record_is_read_from_its_additionalEventData_and_a_broken_record_has_none()
    {
        var record = new AuditRecord("e1", DateTimeOffset.UnixEpoch, "GetCredentialsForIdentity", "cognito-identity.amazonaws.com", false, null, null, [],
            """{"errorCode":"NotAuthorizedException","additionalEventData":{"decision":{"allowed":false}}}""");
        Assert.That(AuditView.Decision(record)?.GetProperty("allowed").GetBoolean(), Is.False);
        Assert.That(AuditView.ErrorCode(record), Is.EqualTo("NotAuthorizedException"));
        Assert.That(AuditView.Decision(record with { CloudTrailEvent = "{not json" }), Is.Null);
    }

    [Test]
    public void The_overview_buckets_requests_errors_and_credentials_by_role_over_the_last_15_minutes()
    {
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        const string role = "arn:aws:iam::000000000000:role/Eng";
        AuditRecord Event(TimeSpan ago, string name, string json, params AuditResource[] resources) =>
            new(Guid.NewGuid().ToString(), now - ago, name, "cognito-identity.amazonaws.com", false, null, null, resources, json);
        var events = new[]
        {
            Event(TimeSpan.FromSeconds(10), "GetCredentialsForIdentity", "{}", new AuditResource("AWS::IAM::Role", role)),
            Event(TimeSpan.FromSeconds(20), "GetCredentialsForIdentity", "{}", new AuditResource("AWS::IAM::Role", role)),
            Event(TimeSpan.FromSeconds(40), "GetId", """{"errorCode":"NotAuthorizedException"}"""),
            Event(TimeSpan.FromMinutes(16), "GetId", "{}"),
        };
        var model = OverviewPage.Compute(null!, events, now, truncated: false);
        Assert.That(model.Requests.Values, Has.Count.EqualTo(30));
        Assert.That(model.Requests.Values.Sum() * 30, Is.EqualTo(3).Within(1e-9), "the event older than 15 minutes is not counted");
        Assert.That(model.Errors.Values.Sum(), Is.EqualTo(1));
        Assert.That(model.Errors.Values[^2], Is.EqualTo(1), "40 s ago is the second-newest 30 s bucket");
        Assert.That(model.CredentialsByRole.Single().Title, Is.EqualTo(role));
        Assert.That(model.CredentialsByRole.Single().Values[^1], Is.EqualTo(2));
    }

    [Test]
    public void The_simulator_form_makes_claims_a_recent_login_a_token_or_a_guest()
    {
        var claims = PoolPages.SimulationRequestOf("us-east-1:p", SimulationInput.Empty with { Provider = "idp.test", Claims = """{"dept":["a","b"]}""" });
        Assert.That(claims.Value.Claims!["idp.test"]["dept"], Is.EqualTo(new[] { "a", "b" }));
        var recent = PoolPages.SimulationRequestOf("us-east-1:p", SimulationInput.Empty with { Recent = "idp.test user 1" });
        Assert.That(recent.Value.Claims!["idp.test"]["sub"], Is.EqualTo(new[] { "user 1" }));
        var token = PoolPages.SimulationRequestOf("us-east-1:p", SimulationInput.Empty with { Provider = "idp.test", Login = "a.b.c", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/k" });
        Assert.That(token.Value.Logins!["idp.test"], Is.EqualTo("a.b.c"));
        Assert.That(token.Value.Actions.Single().Action, Is.EqualTo("s3:GetObject"));
        var guest = PoolPages.SimulationRequestOf("us-east-1:p", SimulationInput.Empty);
        Assert.That(guest.Value.Claims, Is.Null);
        Assert.That(guest.Value.Logins, Is.Null);
    }

    [Test]
    public void Pasted_claims_keep_their_arrays_and_objects_for_expression_rules_as_a_token_payload_does()
    {
        var read = PoolPages.SimulationRequestOf("us-east-1:p", SimulationInput.Empty with { Provider = "idp.test", Claims = """{"groups":["admins"],"org":{"unit":"blue"},"n":3}""" });

        var login = IdentityBroker.Mapping.MappingLogin.FromClaimsJson("idp.test", read.Value.ClaimPayloads!["idp.test"]);
        using var claims = System.Text.Json.JsonDocument.Parse(IdentityBroker.Mapping.Expressions.ExpressionValues.ClaimsJson(login));
        Assert.That(claims.RootElement.GetProperty("groups").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Array));
        Assert.That(claims.RootElement.GetProperty("org").GetProperty("unit").GetString(), Is.EqualTo("blue"));
        Assert.That(claims.RootElement.GetProperty("n").GetInt32(), Is.EqualTo(3));
        // AWS Rules read strings, as from a validated token.
        Assert.That(read.Value.Claims!["idp.test"]["groups"], Is.EqualTo(new[] { "admins" }));
        Assert.That(read.Value.Claims["idp.test"]["n"], Is.EqualTo(new[] { "3" }));
    }

    [TestCase("[1]")]
    [TestCase("{not json")]
    public void Claims_that_are_not_a_JSON_object_are_an_error_not_a_guest(string pasted)
    {
        var result = PoolPages.SimulationRequestOf("us-east-1:p", SimulationInput.Empty with { Provider = "idp.test", Claims = pasted });
        Assert.That(result.IsSuccess, Is.False);
        Assert.That(result.Error!.Type, Is.EqualTo("InvalidParameterException"));
    }
}
