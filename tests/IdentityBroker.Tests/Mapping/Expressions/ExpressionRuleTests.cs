using System.Text;
using IdentityBroker.Mapping.Expressions;
using IdentityBroker.Pools;

namespace IdentityBroker.Tests.Mapping.Expressions;

/// <summary>Expression rules compiled and evaluated with the Cel package, as GetCredentialsForIdentity evaluates them.</summary>
public sealed class ExpressionRuleTests
{
    private const string Admin = "arn:aws:iam::000000000000:role/Admin";
    private const string Reader = "arn:aws:iam::000000000000:role/Reader";
    private const string Provider = "issuer.example.com";

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private const string Claims = """
        {"sub":"u1","email":"bob@example.com","groups":["dev","admins"],"org":{"team":{"name":"blue"},"level":3},
         "iat":1764000000,"email_verified":true}
        """;

    private static CompiledRuleSet Compile(params ExpressionRule[] rules)
    {
        var (set, problems) = ExpressionRuleCompiler.Compile(rules);
        Assert.That(problems, Is.Empty);
        return set!;
    }

    private static ExpressionInput Input(string claims = Claims, string sourceIp = "203.0.113.7") =>
        new([new ExpressionLogin(Provider, Encoding.UTF8.GetBytes(claims))], "us-east-1:11111111-1111-1111-1111-111111111111",
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), [Provider], new ExpressionRequest(sourceIp, "aws-sdk-js/3"), Now);

    private static ExpressionRule Rule(string condition, string role = Admin) => new() { Condition = condition, Role = role };

    [TestCase("\"admins\" in claims.groups", true)]
    [TestCase("\"ops\" in claims.groups", false)]
    [TestCase("claims.groups.exists(g, g.startsWith(\"adm\"))", true)]
    [TestCase("claims.groups.all(g, g.size() >= 3)", true)]
    [TestCase("claims.groups.exists_one(g, g == \"dev\")", true)]
    [TestCase("size(claims.groups.filter(g, g != \"dev\")) == 1", true)]
    public void Rules_match_on_arrays_as_arrays(string condition, bool matches)
    {
        var outcome = Compile(Rule(condition)).Evaluate(Input());

        Assert.That(outcome.Match is not null, Is.EqualTo(matches), outcome.FailureReason);
        Assert.That(outcome.Failed, Is.False);
    }

    [TestCase("claims.email.endsWith(\"@example.com\")", true)]
    [TestCase("claims.email.startsWith(\"alice\")", false)]
    [TestCase("claims.email.contains(\"bob\")", true)]
    [TestCase("claims.email.matches(\"^[a-z]+@example\\\\.com$\")", true)]
    [TestCase("claims.email.matches(\"^[0-9]+$\")", false)]
    public void Rules_match_with_string_functions(string condition, bool matches) =>
        Assert.That(Compile(Rule(condition)).Evaluate(Input()).Match is not null, Is.EqualTo(matches));

    [TestCase("now > timestamp(\"2026-12-01T00:00:00Z\")", true)]
    [TestCase("now - identity.created > duration(\"8760h\")", false)]
    [TestCase("now - identity.created > duration(\"24h\")", true)]
    [TestCase("timestamp(claims.iat) < now", true)]
    [TestCase("now.getHours() >= 9 && now.getHours() < 17", true)]
    public void Rules_match_on_timestamps(string condition, bool matches) =>
        Assert.That(Compile(Rule(condition)).Evaluate(Input()).Match is not null, Is.EqualTo(matches));

    [TestCase("claims.org.team.name == \"blue\"", true)]
    [TestCase("claims.org.level >= 3 && claims.email_verified", true)]
    [TestCase("has(claims.org.team) && !has(claims.org.unit)", true)]
    [TestCase("claims[\"org\"][\"team\"][\"name\"] == \"red\"", false)]
    [TestCase("provider == \"issuer.example.com\" && request.sourceIp.startsWith(\"203.0.113.\")", true)]
    [TestCase("identity.logins.exists(p, p == \"issuer.example.com\") && identity.id.startsWith(\"us-east-1:\")", true)]
    public void Rules_match_on_nested_claims_and_the_request(string condition, bool matches) =>
        Assert.That(Compile(Rule(condition)).Evaluate(Input()).Match is not null, Is.EqualTo(matches));

    [Test]
    public void The_first_matching_rule_wins_and_computes_its_role_and_tags()
    {
        var set = Compile(
            Rule("\"ops\" in claims.groups", Reader),
            new ExpressionRule
            {
                Condition = "\"admins\" in claims.groups",
                Role = "\"arn:aws:iam::000000000000:role/team-\" + claims.org.team.name",
                Tags = new Dictionary<string, string> { ["team"] = "claims.org.team.name", ["domain"] = "provider" },
                DurationSeconds = 1800,
            },
            Rule("true", Reader));

        var match = set.Evaluate(Input()).Match!;

        Assert.That(match.Rule.Index, Is.EqualTo(1));
        Assert.That(match.RoleArn, Is.EqualTo("arn:aws:iam::000000000000:role/team-blue"));
        Assert.That(match.Tags, Is.EquivalentTo(new Dictionary<string, string> { ["team"] = "blue", ["domain"] = Provider }));
        Assert.That(match.DurationSeconds, Is.EqualTo(1800));
    }

    [Test]
    public void A_type_error_is_refused_at_write_time_with_the_rule_and_its_position()
    {
        var (set, problems) = ExpressionRuleCompiler.Compile([Rule("true"), Rule("claims.groups.size() > 1 &&\n  provider + 1 == 2")]);

        Assert.That(set, Is.Null);
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("Expression rule 2, Condition, line 2, column 12: no overload of '+' for string and int"));
    }

    [TestCase("claim.groups == 1", "line 1, column 1: undeclared reference 'claim'")]
    [TestCase("identity.email == \"x\"", "line 1, column 10: identity has no field 'email'")]
    [TestCase("claims.email.lowerAscii() == \"x\"", "line 1, column 14: unknown function 'lowerAscii'")]
    [TestCase("\"admins\" in provider", "line 1, column 10: 'in' needs a list or a map on its right, not string")]
    [TestCase("claims.email ==", "line 1, column 16: ")]
    [TestCase("size(claims.groups)", "line 1, column 1: the expression gives int; it must give bool")]
    public void Write_time_errors_name_the_position(string condition, string expected)
    {
        var (_, problems) = ExpressionRuleCompiler.Compile([Rule(condition)]);

        Assert.That(problems, Has.Some.StartsWith($"Expression rule 1, Condition, {expected}"));
    }

    [Test]
    public void A_rule_over_the_cost_budget_is_refused_at_write_time()
    {
        var nested = "claims.groups.exists(a, claims.groups.exists(b, claims.groups.exists(c, a + b + c == \"x\")))";

        var (_, problems) = ExpressionRuleCompiler.Compile([Rule(nested)]);

        Assert.That(problems, Has.Some.Contains("Expression rule 1, Condition: its worst-case cost is").And.Contains("over the budget of 100000"));
    }

    [Test]
    public void Claims_larger_than_the_cost_budget_assumed_deny_with_a_reason()
    {
        var groups = string.Join(",", Enumerable.Range(0, ExpressionLimits.MaxListSize + 1).Select(i => $"\"g{i}\""));
        var set = Compile(Rule("claims.groups.exists(a, claims.groups.exists(b, a == b + \"x\"))"));

        var outcome = set.Evaluate(Input($$"""{"sub":"u1","groups":[{{groups}}]}"""));

        Assert.That(outcome.Failed, Is.True);
        Assert.That(outcome.FailureReason, Does.Contain("claims.groups has 101 values, more than the 100"));
    }

    [Test]
    public void An_evaluation_error_denies_with_its_reason()
    {
        var set = Compile(Rule("claims.department == \"sales\""), Rule("true", Reader));

        var outcome = set.Evaluate(Input());

        Assert.That(outcome.Failed, Is.True);
        Assert.That(outcome.FailedRule!.Index, Is.EqualTo(0));
        Assert.That(outcome.FailureReason, Does.StartWith("expression rule 1 (issuer.example.com): its Condition failed:").And.Contains("department"));
    }

    [Test]
    public void A_role_expression_that_does_not_give_a_role_arn_denies()
    {
        var outcome = Compile(Rule("true", "claims.email")).Evaluate(Input());

        Assert.That(outcome.FailureReason, Does.Contain("its Role gave \"bob@example.com\", which is not a role ARN"));
    }

    [Test]
    public void A_regex_that_would_backtrack_runs_in_linear_time()
    {
        var set = Compile(Rule("claims.email.matches(\"^(a+)+$\")"));
        var attack = $$"""{"email":"{{new string('a', 5000)}}!"}""";

        Assert.That(set.Evaluate(Input(attack)).Match, Is.Null);
    }

    [Test]
    public void Write_time_checks_cover_role_tags_policy_and_duration()
    {
        var (_, problems) = ExpressionRuleCompiler.Compile([new ExpressionRule
        {
            Condition = "true",
            Role = "arn:aws:iam::0:user/x",
            Tags = new Dictionary<string, string> { ["bad key!"] = "provider", ["ok"] = "1" },
            SessionPolicy = "{\"Statement\":1}",
            DurationSeconds = 60,
        }]);

        Assert.That(problems, Has.Some.Contains("is not a role ARN"));
        Assert.That(problems, Has.Some.Contains("'bad key!' is not a session-tag key"));
        Assert.That(problems, Has.Some.Contains("Tags['ok'], line 1, column 1: the expression gives int; it must give string"));
        Assert.That(problems, Has.Some.Contains("SessionPolicy is not a valid policy"));
        Assert.That(problems, Has.Some.Contains("DurationSeconds must be between 900 and 43200"));
    }

    [Test]
    public void The_rule_count_limit_is_enforced()
    {
        var rules = Enumerable.Range(0, ExpressionLimits.MaxRules + 1).Select(_ => Rule("true")).ToArray();

        Assert.That(ExpressionRuleCompiler.Compile(rules).Problems, Has.Some.Contains($"at most {ExpressionLimits.MaxRules} expression rules"));
    }

    [Test]
    public void A_pool_version_is_compiled_once()
    {
        var sets = new ExpressionRuleSets();
        var pool = new IdentityPool { IdentityPoolId = "us-east-1:p", IdentityPoolName = "p", AllowUnauthenticatedIdentities = false, ExpressionRules = [Rule("true")] };
        var reread = pool with { ExpressionRules = [Rule("true")] };
        var changed = pool with { ExpressionRules = [Rule("false")] };

        Assert.That(sets.For(reread), Is.SameAs(sets.For(pool)));
        Assert.That(sets.For(changed), Is.Not.SameAs(sets.For(pool)));
    }
}
