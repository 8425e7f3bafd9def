using System.Diagnostics;
using System.Text.Json;
using IdentityBroker.Audit;
using IdentityBroker.Errors;
using IdentityBroker.Mapping.Expressions;
using IdentityBroker.Observability;
using IdentityBroker.Pools;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Server.Console;
using IdentityBroker.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.AdminConsole;

/// <summary>The pool settings and expression-rule editors' forms, the bounded diff, and the console's audit records.</summary>
public sealed class ConsoleEditorsTests
{
    private const string PoolId = "us-east-1:0b5d9c2e-0000-4000-8000-000000000001";
    private const string Eng = "arn:aws:iam::000000000000:role/Eng";
    private const string Oidc = "arn:aws:iam::000000000000:oidc-provider/issuer.example.test";

    private static Func<string, string?> Fields(Dictionary<string, string> values) => name => values.TryGetValue(name, out var v) ? v : null;

    private static ConsoleCall Call(Dictionary<string, StringValues> form, string? userAgent = null)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("::ffff:203.0.113.9");
        if (userAgent is not null)
        {
            http.Request.Headers.UserAgent = userAgent;
        }

        return new ConsoleCall(http, new ConsoleSession("s1", "AKIDCONSOLE"), "csrf", form);
    }

    [Test]
    public void Expression_rows_are_put_in_the_order_of_their_positions_with_empty_rows_removed_and_renumbered()
    {
        var form = ExpressionRulesForm.Read(Fields(new()
        {
            ["x0.order"] = "2", ["x0.condition"] = "claims.dept == 'eng'", ["x0.role"] = Eng,
            ["x1.order"] = "3", // blank: removed
            ["x2.order"] = "1.5", ["x2.condition"] = "'admins' in claims.groups", ["x2.role"] = Eng,
            ["x2.tags"] = "team = claims.dept\n  level = 'high'  ", ["x2.duration"] = "3600",
            ["x3.condition"] = "true", ["x3.role"] = Eng, // no position: keeps its place (4)
        }));
        Assert.That(form.Rows.Select(r => (r.Order, r.Condition)), Is.EqualTo(new[]
        {
            ("1", "'admins' in claims.groups"), ("2", "claims.dept == 'eng'"), ("3", "true"),
        }));
        var (rules, problem) = form.ToRules();
        Assert.That(problem, Is.Null);
        Assert.That(rules![0].Tags, Is.EqualTo(new Dictionary<string, string> { ["team"] = "claims.dept", ["level"] = "'high'" }));
        Assert.That(rules[0].DurationSeconds, Is.EqualTo(3600));
        Assert.That(rules[1].Tags, Is.Null);
        Assert.That(ExpressionRuleCompiler.Compile(rules).Problems, Is.Empty);
        Assert.That(form.WithBlankRows().Rows.Skip(3).Select(r => r.Order), Is.EqualTo(new[] { "4", "5" }));
    }

    [Test]
    public void The_pool_rules_round_trip_through_the_form()
    {
        ExpressionRule[] rules =
        [
            new() { Condition = "claims.dept == 'eng'", Role = Eng, Tags = new Dictionary<string, string> { ["team"] = "claims.dept" }, SessionPolicy = "{}", DurationSeconds = 900 },
            new() { Condition = "true", Role = "'" + Eng + "'" },
        ];
        var form = ExpressionRulesForm.Read(Fields(Posted(ExpressionRulesForm.FromRules(rules).WithBlankRows())));
        Assert.That(form.ToRules().Rules, Is.EqualTo(rules).Using<ExpressionRule>((a, b) =>
            a.Condition == b.Condition && a.Role == b.Role && a.SessionPolicy == b.SessionPolicy && a.DurationSeconds == b.DurationSeconds
            && (a.Tags ?? new Dictionary<string, string>()).SequenceEqual(b.Tags ?? new Dictionary<string, string>())));
    }

    [TestCase("x0.duration", "soon", "x0.duration")]
    [TestCase("x0.tags", "no equals sign", "x0.tags")]
    public void A_member_that_cannot_become_a_rule_member_is_refused_at_its_field(string field, string value, string expected)
    {
        var values = new Dictionary<string, string> { ["x0.condition"] = "true", ["x0.role"] = Eng, [field] = value };
        var (rules, problem) = ExpressionRulesForm.Read(Fields(values)).ToRules();
        Assert.That(rules, Is.Null);
        Assert.That(problem!.Value.Field, Is.EqualTo(expected));
        Assert.That(problem.Value.Message, Does.StartWith("Expression rule 1:"));
    }

    [Test]
    public void Each_compiler_problem_is_placed_at_the_rule_and_member_it_names()
    {
        ExpressionRule[] rules =
        [
            new() { Condition = "claims.dept ==", Role = Eng },
            new() { Condition = "true", Role = Eng, Tags = new Dictionary<string, string> { ["team"] = "1 + 2" } },
            new() { Condition = "true", Role = Eng, DurationSeconds = 5 },
            new() { Condition = "true" },
            new() { Condition = "'x'", Role = Eng },
        ];
        var problems = ExpressionRuleCompiler.Compile(rules).Problems;
        var placed = problems.Select(ExpressionRulesForm.Place).ToList();
        Assert.That(placed.Select(p => p.Field), Is.EqualTo(new[] { "x0.condition", "x1.tags", "x2.duration", "x3.role", "x4.condition" }),
            string.Join("\n", problems));
        Assert.That(placed[0].Message, Does.Contain("line 1, column"), "the position is kept in the message");
    }

    [Test]
    public void A_trust_problem_names_its_rule_in_brackets_and_is_placed_at_that_rules_role()
    {
        Assert.That(ExpressionRulesForm.Place($"Role '{Eng}' (expression rule 3) does not trust this pool's authenticated identities.").Field, Is.EqualTo("x2.role"));
        Assert.That(ExpressionRulesForm.Place("A pool has at most 1000 expression rules, not 1001.").Field, Is.EqualTo(ExpressionRulesForm.FormField));
    }

    [Test]
    public void The_settings_form_round_trips_a_pool_into_a_valid_UpdateIdentityPool_request_that_keeps_the_tags()
    {
        var pool = new IdentityPool
        {
            IdentityPoolId = PoolId,
            IdentityPoolName = "pool",
            AllowUnauthenticatedIdentities = true,
            AllowClassicFlow = true,
            SupportedLoginProviders = new Dictionary<string, string> { ["accounts.google.com"] = "client-1" },
            DeveloperProviderName = "login.example",
            OpenIdConnectProviderARNs = [Oidc],
            CognitoIdentityProviders = [new() { ProviderName = "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", ClientId = "app", ServerSideTokenCheck = true }],
            IdentityPoolTags = new Dictionary<string, string> { ["team"] = "a" },
        };
        var form = PoolSettingsForm.FromPool(pool);
        var posted = PoolSettingsForm.Read(Call(new()
        {
            ["settings.name"] = form.Name, ["settings.guests"] = "on", ["settings.classic"] = "on", ["settings.supported"] = form.Supported,
            ["settings.userpools"] = form.UserPools, ["settings.developer"] = form.Developer, ["settings.oidc"] = new StringValues([.. form.Oidc]),
        }));
        var request = posted.ToRequest(PoolId, pool.IdentityPoolTags);
        Assert.That(RequestValidation.Validate(request), Is.Null);
        var settings = CognitoBinding.UpdateIdentityPool(request).Settings;
        var updated = settings.ApplyTo(pool);
        Assert.That(updated, Is.EqualTo(pool).Using<IdentityPool>((a, b) => PoolSettingsForm.Document(PoolSettingsForm.FromPool(a).ToRequest(PoolId, a.IdentityPoolTags))
            == PoolSettingsForm.Document(PoolSettingsForm.FromPool(b).ToRequest(PoolId, b.IdentityPoolTags))));
        Assert.That(updated.CognitoIdentityProviders![0].ServerSideTokenCheck, Is.True);
        Assert.That(updated.IdentityPoolTags, Is.EqualTo(pool.IdentityPoolTags));
    }

    [Test]
    public void A_settings_error_is_placed_at_the_member_it_names()
    {
        var tooLong = new PoolSettingsForm(new string('n', 200), false, false, "", "", "", [], []).ToRequest(PoolId, null);
        var invalid = RequestValidation.Validate(tooLong);
        Assert.That(invalid, Is.Not.Null);
        Assert.That(PoolSettingsForm.Place(invalid!).Field, Is.EqualTo("settings.name"), invalid!.Message);
        Assert.That(PoolSettingsForm.Place(CognitoErrors.InvalidParameter("DeveloperProviderName cannot be changed once it has been set.")).Field,
            Is.EqualTo("settings.developer"));
        Assert.That(PoolSettingsForm.Place(CognitoErrors.InvalidParameter($"Invalid OpenIdConnectProviderARN: '{Oidc}' is not a registered OpenID Connect provider.")).Field,
            Is.EqualTo("settings.oidc"));
        Assert.That(PoolSettingsForm.Place(new AwsError("InternalErrorException", "something else")).Field, Is.EqualTo(PoolSettingsForm.FormField));
    }

    [Test]
    public void The_diff_of_large_documents_stays_bounded_and_keeps_the_common_head_and_tail()
    {
        var before = string.Join('\n', Enumerable.Range(0, 20_000).Select(i => $"line {i}"));
        var after = before.Replace("line 10000\n", "line 10000 changed\n", StringComparison.Ordinal);
        var stopwatch = Stopwatch.StartNew();
        var diff = LineDiff.Compare(before, after);
        Assert.That(diff.Where(l => l.Kind != ' ').Select(l => $"{l.Kind}{l.Text}"), Is.EqualTo(new[] { "-line 10000", "+line 10000 changed" }));
        Assert.That(diff, Has.Count.EqualTo(20_001));

        var other = string.Join('\n', Enumerable.Range(0, 5_000).Select(i => $"other {i}"));
        var replaced = LineDiff.Compare(before, other);
        Assert.That(replaced.Count(l => l.Kind == '-'), Is.EqualTo(20_000), "past the table's bound, the middle is removed then added");
        Assert.That(replaced.Count(l => l.Kind == '+'), Is.EqualTo(5_000));
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task A_console_write_is_told_to_the_call_observers_as_its_API_call_by_the_admin_key_from_the_console()
    {
        var observer = new Recorder();
        var admins = new StaticPrincipalSource([new AccessKey("AKIDCONSOLE", "secret")], "000000000000");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var audit = new ConsoleAudit([observer], admins, time);
        var call = Call(new(), userAgent: "Mozilla/5.0 <script>");
        var request = new CreateIdentityPoolRequest { IdentityPoolName = "pool", AllowUnauthenticatedIdentities = false };

        await audit.RecordAsync(call, ConsoleWrite.Of("CreateIdentityPool", request, ConsoleJsonContext.Default.CreateIdentityPoolRequest, audit.Start())
            with { IdentityPoolId = PoolId }, null);
        await audit.RecordAsync(call, ConsoleWrite.Of("UpdateIdentityPool", new IdentityPoolShape { IdentityPoolId = PoolId, IdentityPoolName = "x" },
            ConsoleJsonContext.Default.IdentityPoolShape, audit.Start()), CognitoErrors.InvalidParameter("DeveloperProviderName cannot be changed once it has been set."));

        Assert.That(observer.Calls, Has.Count.EqualTo(2));
        var builder = new AuditEventBuilder("us-east-1", "000000000000");
        using var created = JsonDocument.Parse(builder.Build(observer.Calls[0], "e1", time.GetUtcNow())!.CloudTrailEvent);
        var root = created.RootElement;
        Assert.That(root.GetProperty("eventName").GetString(), Is.EqualTo("CreateIdentityPool"));
        Assert.That(root.GetProperty("eventSource").GetString(), Is.EqualTo("cognito-identity.amazonaws.com"));
        Assert.That(root.GetProperty("userIdentity").GetProperty("accessKeyId").GetString(), Is.EqualTo("AKIDCONSOLE"));
        Assert.That(root.GetProperty("userIdentity").GetProperty("type").GetString(), Is.EqualTo("Root"));
        Assert.That(root.GetProperty("userAgent").GetString(), Is.EqualTo("IdentityBroker-Console/1.0 (Mozilla/5.0 <script>)"));
        Assert.That(root.GetProperty("sourceIPAddress").GetString(), Is.EqualTo("203.0.113.9"));
        Assert.That(root.GetProperty("requestParameters").GetProperty("identityPoolName").GetString(), Is.EqualTo("pool"));
        Assert.That(root.GetProperty("readOnly").GetBoolean(), Is.False);
        Assert.That(root.TryGetProperty("errorCode", out _), Is.False);
        Assert.That(observer.Calls[0].Details!.Capture!.IdentityPoolId, Is.EqualTo(PoolId));

        using var refused = JsonDocument.Parse(builder.Build(observer.Calls[1], "e2", time.GetUtcNow())!.CloudTrailEvent);
        Assert.That(refused.RootElement.GetProperty("errorCode").GetString(), Is.EqualTo("InvalidParameterException"));
        Assert.That(refused.RootElement.GetProperty("errorMessage").GetString(), Does.Contain("DeveloperProviderName"));
        Assert.That(observer.Calls[1].StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task A_session_whose_key_is_no_longer_an_admin_key_is_recorded_as_unknown_not_as_that_key()
    {
        var observer = new Recorder();
        var audit = new ConsoleAudit([observer], new StaticPrincipalSource([new AccessKey("AKIDOTHER", "secret")], "000000000000"), TimeProvider.System);
        await audit.RecordAsync(Call(new()), new ConsoleWrite("cognito-identity", "DisableIdentity", """{"IdentityId":"x"}"""u8.ToArray(), audit.Start()), null);
        Assert.That(observer.Calls[0].CallerAccessKeyId, Is.Null);
        Assert.That(observer.Calls[0].Details!.UserAgent, Is.EqualTo(ConsoleAudit.UserAgent));
    }

    private static Dictionary<string, string> Posted(ExpressionRulesForm form)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i < form.Rows.Count; i++)
        {
            var row = form.Rows[i];
            foreach (var (name, value) in new[] { ("order", row.Order), ("condition", row.Condition), ("role", row.Role), ("tags", row.Tags), ("policy", row.SessionPolicy), ("duration", row.Duration) })
            {
                if (value.Length > 0)
                {
                    values[$"x{i}.{name}"] = value;
                }
            }
        }

        return values;
    }

    private sealed class Recorder : ICallObserver
    {
        public List<CallCompleted> Calls { get; } = [];

        public bool WantsDetails => true;

        public void OnCallCompleted(in CallCompleted call) => Calls.Add(call);
    }
}
