using System.Text;
using BenchmarkDotNet.Attributes;
using IdentityBroker.Mapping;
using IdentityBroker.Mapping.Expressions;
using IdentityBroker.Pools;

namespace IdentityBroker.Benchmarks;

/// <summary>
/// Expression rules against AWS Rules on the same login (docs/expression-rules.md, "Cost"): 25 AWS Rules with the 25th
/// matching (<see cref="RoleResolver"/>), 25 expression rules of the same meaning with the 25th matching, and 500
/// expression rules with the 500th matching (all of shapes the broker decides on the claims map, <c>ConditionShortcut</c>),
/// and 25 rules of shapes left to the <c>Cel</c> package's interpreter. The expression cases include what the request path
/// does per call: reading the login's claims JSON into CEL values and evaluating each rule in order (compiled once, as the
/// pool cache does).
/// </summary>
[MemoryDiagnoser]
public class ExpressionRuleBenchmarks
{
    private const string ProviderKey = "idp.bench.example";
    private const string Account = "arn:aws:iam::000000000000:role/";

    private const string Claims = """
        {"iss":"https://idp.bench.example","sub":"user-42","aud":"bench-client","email":"user-42@example.com","email_verified":true,
         "department":"finance","custom:tier":"gold","groups":["staff","devs","oncall"]}
        """;

    private IdentityPool _awsPool = null!;
    private IdentityPool _pool = null!;
    private MappingLogin[] _logins = null!;
    private CompiledRuleSet _rules25 = null!;
    private CompiledRuleSet _rules500 = null!;
    private CompiledRuleSet _interpreted25 = null!;
    private ExpressionInput _input = null!;

    [GlobalSetup]
    public void Setup()
    {
        var json = Encoding.UTF8.GetBytes(Claims);
        _logins = [new MappingLogin(ProviderKey, new Dictionary<string, IReadOnlyList<string>>
        {
            ["email"] = ["user-42@example.com"], ["department"] = ["finance"], ["custom:tier"] = ["gold"], ["groups"] = ["staff", "devs", "oncall"],
        }) { Payload = json }];
        _pool = new IdentityPool
        {
            IdentityPoolId = "us-east-1:00000000-0000-0000-0000-000000000004",
            IdentityPoolName = "bench-expr",
            AllowUnauthenticatedIdentities = false,
            Roles = new Dictionary<string, string> { [RoleTypes.Authenticated] = Account + "Default" },
        };
        _awsPool = _pool with
        {
            RoleMappings = new Dictionary<string, RoleMapping>
            {
                [ProviderKey] = new() { Type = RoleResolver.RulesType, AmbiguousRoleResolution = "AuthenticatedRole", RulesConfiguration = new() { Rules = AwsRules() } },
            },
        };
        _rules25 = Compile(ExpressionRules(25));
        _rules500 = Compile(ExpressionRules(500));
        _interpreted25 = Compile(InterpretedRules(25));
        _input = new ExpressionInput([new ExpressionLogin(ProviderKey, json)], "us-east-1:id", DateTimeOffset.UnixEpoch, [ProviderKey], ExpressionRequest.Unknown, DateTimeOffset.UnixEpoch);
        Check(AwsRules25(), Account + "Rule25");
        Check(ExpressionRules25(), Account + "Rule25");
        Check(ExpressionRules500(), Account + "Rule500");
        Check(InterpretedRules25(), Account + "Rule25");
    }

    [Benchmark(Baseline = true)]
    public RoleDecision AwsRules25() => RoleResolver.Resolve(_awsPool, authenticated: true, _logins, customRoleArn: null);

    [Benchmark]
    public RoleDecision ExpressionRules25() => Resolve(_rules25);

    [Benchmark]
    public RoleDecision ExpressionRules500() => Resolve(_rules500);

    /// <summary>25 rules of shapes the shortcut leaves to the package's interpreter (comprehensions, size()).</summary>
    [Benchmark]
    public RoleDecision InterpretedRules25() => Resolve(_interpreted25);

    private RoleDecision Resolve(CompiledRuleSet rules) =>
        ExpressionRoles.Resolve(_pool, true, _logins, null, ExpressionRoles.Evaluate(rules, true, () => _input));

    private static CompiledRuleSet Compile(List<ExpressionRule> rules)
    {
        var (set, problems) = ExpressionRuleCompiler.Compile(rules);
        return set ?? throw new InvalidOperationException(string.Join(" ", problems));
    }

    private static void Check(RoleDecision decision, string role)
    {
        if (decision.RoleArn != role)
        {
            throw new InvalidOperationException($"Unexpected decision {decision.Source} {decision.RoleArn}: the benchmark would not measure what it says.");
        }
    }

    /// <summary>The four AWS match types in turn on values the login does not hold; the last rule matches.</summary>
    private static List<MappingRule> AwsRules()
    {
        var rules = Enumerable.Range(1, 24).Select(i => (i % 4) switch
        {
            0 => new MappingRule { Claim = "groups", MatchType = ClaimRules.EqualsType, Value = $"team-{i}", RoleARN = Account + $"Rule{i}" },
            1 => new MappingRule { Claim = "email", MatchType = ClaimRules.StartsWithType, Value = $"admin-{i}", RoleARN = Account + $"Rule{i}" },
            2 => new MappingRule { Claim = "department", MatchType = ClaimRules.ContainsType, Value = $"ops-{i}", RoleARN = Account + $"Rule{i}" },
            _ => new MappingRule { Claim = "custom:tier", MatchType = ClaimRules.NotEqualType, Value = "gold", RoleARN = Account + $"Rule{i}" },
        }).ToList();
        rules.Add(new MappingRule { Claim = "groups", MatchType = ClaimRules.EqualsType, Value = "devs", RoleARN = Account + "Rule25" });
        return rules;
    }

    /// <summary>Tests the shortcut does not decide (<c>ConditionShortcut</c>): every rule runs the package's interpreter; the last matches.</summary>
    private static List<ExpressionRule> InterpretedRules(int count)
    {
        var rules = Enumerable.Range(1, count - 1).Select(i => new ExpressionRule
        {
            Condition = (i % 2) switch
            {
                0 => $"claims.groups.exists(g, g == \"team-{i}\")",
                _ => $"size(claims.email) == {100 + i}",
            },
            Role = Account + $"Rule{i}",
        }).ToList();
        rules.Add(new ExpressionRule { Condition = "claims.groups.exists(g, g == \"devs\")", Role = Account + $"Rule{count}" });
        return rules;
    }

    /// <summary>The same four kinds of test as CEL (all decided by the shortcut); the last rule matches.</summary>
    private static List<ExpressionRule> ExpressionRules(int count)
    {
        var rules = Enumerable.Range(1, count - 1).Select(i => new ExpressionRule
        {
            Condition = (i % 4) switch
            {
                0 => $"\"team-{i}\" in claims.groups",
                1 => $"claims.email.startsWith(\"admin-{i}\")",
                2 => $"claims.department.contains(\"ops-{i}\")",
                _ => "claims[\"custom:tier\"] != \"gold\"",
            },
            Role = Account + $"Rule{i}",
        }).ToList();
        rules.Add(new ExpressionRule { Condition = "\"devs\" in claims.groups", Role = Account + $"Rule{count}" });
        return rules;
    }
}
