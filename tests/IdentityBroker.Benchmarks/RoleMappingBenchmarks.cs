using BenchmarkDotNet.Attributes;
using IdentityBroker.Mapping;
using IdentityBroker.Pools;

namespace IdentityBroker.Benchmarks;

/// <summary>
/// Role choice of GetCredentialsForIdentity (enhanced flow) for a pool whose provider has a Rules mapping of 25 rules
/// (the per-provider maximum): <see cref="RoleResolver.Resolve(IdentityPool, bool, IReadOnlyList{MappingLogin}, string?)"/>,
/// the code the request path runs after turning each validated login into a <see cref="MappingLogin"/>. Rules 1–24 use
/// every match type on single- and multi-valued claims and match neither login; rule 25 matches the first login only,
/// so one case walks all 25 rules to a match, the other matches none and falls back (AmbiguousRoleResolution).
/// </summary>
[MemoryDiagnoser]
public class RoleMappingBenchmarks
{
    private const string ProviderKey = "idp.bench.example";
    private const string Account = "arn:aws:iam::000000000000:role/";

    private IdentityPool _pool = null!;
    private MappingLogin[] _matchesLast = null!;
    private MappingLogin[] _matchesNone = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new IdentityPool
        {
            IdentityPoolId = "us-east-1:00000000-0000-0000-0000-000000000003",
            IdentityPoolName = "bench-rules",
            AllowUnauthenticatedIdentities = false,
            Roles = new Dictionary<string, string> { [RoleTypes.Authenticated] = Account + "Default", [RoleTypes.Unauthenticated] = Account + "Guest" },
            RoleMappings = new Dictionary<string, RoleMapping>
            {
                // Other providers' mappings sit before and after this one in ordinal key order.
                ["accounts.google.com"] = new() { Type = RoleResolver.TokenType, AmbiguousRoleResolution = "AuthenticatedRole" },
                [ProviderKey] = new() { Type = RoleResolver.RulesType, AmbiguousRoleResolution = "AuthenticatedRole", RulesConfiguration = new() { Rules = Rules() } },
                ["www.amazon.com"] = new() { Type = RoleResolver.TokenType, AmbiguousRoleResolution = "Deny" },
            },
        };
        _matchesLast = [Login(["staff", "devs", "oncall"])];
        _matchesNone = [Login(["staff", "oncall"])];
        Check(Resolve(_matchesLast), RoleSource.RuleMatch, Account + "Rule25");
        Check(Resolve(_matchesNone), RoleSource.AmbiguousAuthenticatedRole, Account + "Default");
    }

    [Benchmark]
    public RoleDecision MatchesLastOf25() => Resolve(_matchesLast);

    [Benchmark]
    public RoleDecision MatchesNoneOf25() => Resolve(_matchesNone);

    private RoleDecision Resolve(MappingLogin[] logins) => RoleResolver.Resolve(_pool, authenticated: true, logins, customRoleArn: null);

    private static void Check(RoleDecision decision, RoleSource source, string role)
    {
        if (decision.Source != source || decision.RoleArn != role)
        {
            throw new InvalidOperationException($"Unexpected decision {decision.Source} {decision.RoleArn}: the benchmark would not measure what it says.");
        }
    }

    private static MappingLogin Login(string[] groups) => new(ProviderKey, new Dictionary<string, IReadOnlyList<string>>
    {
        ["iss"] = ["https://" + ProviderKey],
        ["sub"] = ["user-42"],
        ["aud"] = ["bench-client"],
        ["email"] = ["user-42@example.com"],
        ["email_verified"] = ["true"],
        ["department"] = ["finance"],
        ["custom:tier"] = ["gold"],
        ["groups"] = groups,
    });

    private static List<MappingRule> Rules()
    {
        // (claim, type, value) that match neither login: Equals/Contains/StartsWith miss; NotEqual names the value held.
        (string Claim, string Type, string Value)[] misses =
        [
            ("groups", ClaimRules.EqualsType, "admins"),
            ("email", ClaimRules.ContainsType, "@corp.example"),
            ("department", ClaimRules.StartsWithType, "eng"),
            ("custom:tier", ClaimRules.NotEqualType, "gold"),
            ("groups", ClaimRules.StartsWithType, "ops-"),
            ("email", ClaimRules.EqualsType, "root@example.com"),
            ("department", ClaimRules.EqualsType, "legal"),
            ("groups", ClaimRules.NotEqualType, "staff"),
            ("custom:region", ClaimRules.EqualsType, "eu"),
            ("groups", ClaimRules.ContainsType, "contractor"),
            ("email_verified", ClaimRules.EqualsType, "false"),
            ("custom:tier", ClaimRules.StartsWithType, "plat"),
        ];
        var rules = new List<MappingRule>();
        for (var i = 0; i < 24; i++)
        {
            var (claim, type, value) = misses[i % misses.Length];
            rules.Add(new MappingRule { Claim = claim, MatchType = type, Value = i < misses.Length || type == ClaimRules.NotEqualType ? value : value + i, RoleARN = Account + "Rule" + (i + 1) });
        }

        rules.Add(new MappingRule { Claim = "groups", MatchType = ClaimRules.EqualsType, Value = "devs", RoleARN = Account + "Rule25" });
        return rules;
    }
}
