using System.Text;
using IdentityBroker.Mapping.Expressions;
using IdentityBroker.Pools;

namespace IdentityBroker.Tests.Mapping.Expressions;

/// <summary>
/// The conditions decided without the Cel package's interpreter (<see cref="ConditionShortcut"/>) against the package
/// itself: on every shape and every kind of claim value, a decided shortcut gives the package's answer, and whatever the
/// shortcut leaves undecided (a missing claim, another type) is the package's, errors included.
/// </summary>
public sealed class ConditionShortcutTests
{
    private const string Provider = "issuer.example.com";

    private static readonly string[] Shapes =
    [
        "\"admins\" in claims.groups",
        "claims.email == \"bob@example.com\"",
        "\"bob@example.com\" != claims.email",
        "claims.email.startsWith(\"bob\")",
        "claims.email.endsWith(\"@example.com\")",
        "claims.email.contains(\"@\")",
        "claims.email.contains(\"\")",
        "claims.email == \"a\\\"b\"",
        "has(claims.org.team)",
        "has(claims.empty)",
        "has(claims.none)",
        "has(claims.list0)",
        "has(claims.org.unit)",
        "has(claims.email_verified)",
        "claims.email_verified",
        "!claims.email_verified",
        "!!claims.email_verified",
        "claims[\"custom:tier\"] == \"gold\"",
        "claims[\"org\"].team.name != \"red\"",
        "claims.org.team.name == \"blue\" && \"dev\" in claims.groups",
        "(claims.email.startsWith(\"x\") || !(\"ops\" in claims.groups)) && true",
        "false || claims.org.level == \"3\"",
        "\"ops\" in claims.groups && claims.groups.exists(g, g == \"dev\")",
        "\"dev\" in claims.groups || size(claims.groups) > 1",
        "provider == \"issuer.example.com\"",
        "\"other\" == provider",
    ];

    private static readonly string[] ClaimSets =
    [
        """{"groups":["dev","admins"],"email":"bob@example.com","org":{"team":{"name":"blue"},"level":3},"custom:tier":"gold","email_verified":true,"empty":"","none":null,"list0":[]}""",
        """{"groups":["dev"],"email":"a\"b","org":{"team":{"name":"red"}},"custom:tier":"silver","email_verified":false,"empty":"x","none":1,"list0":["x"]}""",
        """{"groups":"admins","email":42,"org":"blue","custom:tier":["gold"],"email_verified":"true","empty":{},"none":false,"list0":{}}""",
        """{"groups":["dev",1,true],"email":null,"org":{"team":null},"email_verified":1.5}""",
        """{}""",
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        from shape in Shapes.Select((text, i) => (text, i))
        from claims in ClaimSets.Select((json, i) => (json, i))
        select new TestCaseData(shape.text, claims.json).SetName($"{{m}}(shape {shape.i + 1}, claims {claims.i + 1})");

    private static CompiledRule Compile(string condition)
    {
        var (set, problems) = ExpressionRuleCompiler.Compile([new ExpressionRule { Condition = condition, Role = "arn:aws:iam::000000000000:role/R" }]);
        Assert.That(problems, Is.Empty);
        return set!.Rules[0];
    }

    [TestCaseSource(nameof(Cases))]
    public void A_decided_shortcut_gives_the_packages_answer(string condition, string claimsJson)
    {
        var rule = Compile(condition);
        var claims = ExpressionValues.Claims(Encoding.UTF8.GetBytes(claimsJson), out _)!;
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["claims"] = claims, ["provider"] = Provider };

        var decided = rule.Shortcut!.Decide(claims, Provider);
        object? package;
        try
        {
            package = rule.Condition(variables);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Assert.That(decided, Is.Null, $"the package fails ({e.Message}); the shortcut must leave it to the package");
            return;
        }

        if (decided is { } value)
        {
            Assert.That(package, Is.EqualTo(value));
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void Every_listed_shape_is_decided_on_claims_of_the_expected_types(string condition)
    {
        var rule = Compile(condition);
        var claims = ExpressionValues.Claims(Encoding.UTF8.GetBytes(ClaimSets[0]), out _)!;

        Assert.That(rule.Shortcut, Is.Not.Null);
        if (condition != "false || claims.org.level == \"3\"")
        {
            Assert.That(rule.Shortcut!.Decide(claims, Provider), Is.Not.Null);
        }
    }

    [TestCase("claims.groups.exists(g, g == \"dev\")")]
    [TestCase("size(claims.groups) > 1")]
    [TestCase("now > timestamp(\"2026-01-01T00:00:00Z\")")]
    [TestCase("claims.email == \"a\" ? true : false")]
    [TestCase("claims[\"\"] == \"x\"")]
    [TestCase("claims.email.matches(\"^b\")")]
    [TestCase("size(claims.groups) > 1 && \"admins\" in claims.groups")]
    public void Other_shapes_are_left_to_the_package(string condition) =>
        Assert.That(Compile(condition).Shortcut, Is.Null);

    [Test]
    public void Claims_keep_their_json_types_lists_and_maps()
    {
        var claims = ExpressionValues.Claims(Encoding.UTF8.GetBytes("""{"s":"x","i":3,"d":1.5,"t":true,"f":false,"n":null,"l":["a",2,[true]],"m":{"k":{"v":"w"}},"s":"last"}"""), out var problem)!;

        Assert.That(problem, Is.Null);
        Assert.That(claims["s"], Is.EqualTo("last"));
        Assert.That(claims["i"], Is.TypeOf<long>().And.EqualTo(3L));
        Assert.That(claims["d"], Is.TypeOf<double>().And.EqualTo(1.5));
        Assert.That(claims["t"], Is.EqualTo(true));
        Assert.That(claims["f"], Is.EqualTo(false));
        Assert.That(claims["n"], Is.Null);
        Assert.That(claims["l"], Is.EqualTo(new List<object?> { "a", 2L, new List<object?> { true } }));
        Assert.That(((Dictionary<string, object?>)((Dictionary<string, object?>)claims["m"]!)["k"]!)["v"], Is.EqualTo("w"));
    }

    [TestCase("""{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":"deep"}}}}}}}}}""", "claims.a.b.c.d.e.f.g.h.i nests deeper than 8 levels")]
    [TestCase("""{"org":{"teams":[[[[[[[["x"]]]]]]]]}}""", "claims.org.teams[][][][][][][] nests deeper than 8 levels")]
    [TestCase("""[1]""", "the claims are not a JSON object")]
    public void Claims_beyond_the_limits_are_refused_naming_the_claim(string json, string expected)
    {
        Assert.That(ExpressionValues.Claims(Encoding.UTF8.GetBytes(json), out var problem), Is.Null);
        Assert.That(problem, Is.EqualTo(expected));
    }

    [Test]
    public void An_undecided_condition_keeps_the_packages_error_and_denies()
    {
        var (set, _) = ExpressionRuleCompiler.Compile([new ExpressionRule { Condition = "claims.department == \"sales\"", Role = "arn:aws:iam::000000000000:role/R" }]);
        var input = new ExpressionInput([new ExpressionLogin(Provider, Encoding.UTF8.GetBytes("""{"sub":"u"}"""))], "us-east-1:id",
            DateTimeOffset.UnixEpoch, [Provider], ExpressionRequest.Unknown, DateTimeOffset.UnixEpoch);

        var outcome = set!.Evaluate(input);

        Assert.That(outcome.Failed, Is.True);
        Assert.That(outcome.FailureReason, Does.Contain("expression rule 1 (issuer.example.com): its Condition failed:").And.Contain("department"));
    }

    [Test]
    public void A_decided_match_still_computes_role_and_tags_with_the_package()
    {
        var (set, _) = ExpressionRuleCompiler.Compile([new ExpressionRule
        {
            Condition = "\"admins\" in claims.groups",
            Role = "\"arn:aws:iam::000000000000:role/team-\" + claims.org.team.name",
            Tags = new Dictionary<string, string> { ["idp"] = "provider", ["ip"] = "request.sourceIp" },
        }]);
        var input = new ExpressionInput([new ExpressionLogin(Provider, Encoding.UTF8.GetBytes(ClaimSets[0]))], "us-east-1:id",
            DateTimeOffset.UnixEpoch, [Provider], new ExpressionRequest("203.0.113.9", "ua"), DateTimeOffset.UnixEpoch);

        var match = set!.Evaluate(input).Match!;

        Assert.That(match.RoleArn, Is.EqualTo("arn:aws:iam::000000000000:role/team-blue"));
        Assert.That(match.Tags, Is.EqualTo(new Dictionary<string, string> { ["idp"] = Provider, ["ip"] = "203.0.113.9" }));
    }
}
