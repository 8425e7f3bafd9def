using System.Text;
using System.Text.Json;
using IdentityBroker.Audit;
using IdentityBroker.Mapping;
using IdentityBroker.Mapping.Expressions;
using IdentityBroker.Mapping.Replay;
using IdentityBroker.Pools;

namespace IdentityBroker.Tests.Storage;

/// <summary>Expression rules are stored with the pool, and what-if replay reads the store's audit trail, on every store.</summary>
public abstract partial class StoreContractTests
{
    private const string AuthRole = "arn:aws:iam::000000000000:role/auth";
    private const string AdminRole = "arn:aws:iam::000000000000:role/admin";
    private const string Issuer = "issuer.example.com";

    private static readonly ExpressionRule[] ProposedRules =
    [
        new()
        {
            Condition = "\"admins\" in claims.groups && claims.email.endsWith(\"@example.com\")",
            Role = AdminRole,
            Tags = new Dictionary<string, string> { ["team"] = "\"admins\"" },
        },
        new() { Condition = "has(claims.groups) && \"dev\" in claims.groups", Role = AuthRole, Tags = new Dictionary<string, string> { ["team"] = "\"dev\"" } },
    ];

    [Test]
    public async Task Pool_expression_rules_round_trip_and_are_replaced_by_an_update()
    {
        var pool = MinimalPool() with { ExpressionRules = ProposedRules };
        await Store.Pools.CreatePoolAsync(pool, None);
        AssertSameDocument(await Store.Pools.GetPoolAsync(pool.IdentityPoolId, None), pool);

        var updated = pool with { ExpressionRules = [new ExpressionRule { Condition = "true", Role = "\"arn:aws:iam::000000000000:role/\" + provider", DurationSeconds = 900, SessionPolicy = "{}" }] };
        await Store.Pools.UpdatePoolAsync(updated, None);
        await ReopenAsync();

        AssertSameDocument(await Store.Pools.GetPoolAsync(pool.IdentityPoolId, None), updated);
    }

    [Test]
    public async Task Replay_reports_exactly_the_decisions_that_change()
    {
        var pool = MinimalPool() with { Roles = new Dictionary<string, string> { [RoleTypes.Authenticated] = AuthRole } };
        await Store.Pools.CreatePoolAsync(pool, None);
        var alice = Recorded(pool, T0.AddMinutes(1), """{"sub":"alice","email":"alice@example.com","groups":["admins"],"nonce":"n-1"}""");
        var bob = Recorded(pool, T0.AddMinutes(2), """{"sub":"bob","email":"bob@example.com","groups":["dev"]}""");
        var carol = Recorded(pool, T0.AddMinutes(3), """{"sub":"carol","email":"carol@partner.com","groups":["admins","dev"]}""");
        var dave = Recorded(pool, T0.AddMinutes(4), """{"sub":"dave","email":"dave@example.com"}""");
        var erin = Recorded(pool, T0.AddMinutes(5), """{"sub":"erin","email":"erin@partner.com","groups":["ops"]}""");
        var otherPool = Recorded(MinimalPool(), T0.AddMinutes(6), """{"sub":"alice","email":"alice@example.com","groups":["admins"]}""");
        var outside = Recorded(pool, T0.AddDays(3), """{"sub":"alice","email":"alice@example.com","groups":["admins"]}""");
        await Audit.AppendAuditAsync([alice, bob, carol, dave, erin, otherPool, outside], None);

        var replay = new DecisionReplay(Store.Pools, Audit);
        var result = await replay.ReplayAsync(new ReplayRequest(pool.IdentityPoolId, ProposedRules, null, T0, T0.AddDays(1)), None);

        // By hand: alice gets the admin role and its tag; bob and carol keep the role and gain the dev tag (carol's address
        // is not @example.com); dave has no groups claim, so rule 1 fails and he is denied; erin matches no rule.
        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
        Assert.That(result.Value.Replayed, Is.EqualTo(5));
        var changed = result.Value.Changed.ToDictionary(c => c.EventId, c => string.Join(",", c.Changes));
        Assert.That(changed, Is.EquivalentTo(new Dictionary<string, string>
        {
            [alice.EventId] = "role,tags",
            [bob.EventId] = "tags",
            [carol.EventId] = "tags",
            [dave.EventId] = "role,outcome",
        }));
        var aliceChange = result.Value.Changed.Single(c => c.EventId == alice.EventId);
        Assert.That(aliceChange.Proposed.RoleArn, Is.EqualTo(AdminRole));
        Assert.That(aliceChange.Proposed.ExpressionRuleIndex, Is.EqualTo(0));
        Assert.That(aliceChange.Proposed.Tags, Is.EquivalentTo(new Dictionary<string, string> { ["team"] = "admins" }));
        Assert.That(aliceChange.Recorded.RoleArn, Is.EqualTo(AuthRole));
        Assert.That(result.Value.Changed.Single(c => c.EventId == dave.EventId).Proposed.Allowed, Is.False);
        Assert.That(alice.CloudTrailEvent, Does.Not.Contain("n-1"), "the nonce is not recorded");
    }

    /// <summary>A GetCredentialsForIdentity record as the broker writes it: the decision (by the live resolver) and its inputs.</summary>
    private static AuditRecord Recorded(IdentityPool pool, DateTimeOffset at, string claims)
    {
        var json = Encoding.UTF8.GetBytes(claims);
        var login = new MappingLogin(Issuer, new Dictionary<string, IReadOnlyList<string>>()) { Payload = json };
        var identityId = $"us-east-1:{Guid.NewGuid()}";
        var inputs = new DecisionInputs([new ExpressionLogin(Issuer, json)], identityId, T0, [Issuer], new ExpressionRequest("203.0.113.9", "test"), null);
        var role = ExpressionRoles.Resolve(pool, true, [login], null, ExpressionOutcome.NoMatch);
        var decision = CredentialDecision.Allowed([new DecidedLogin(Issuer, "s")], role, new Dictionary<string, string>()) with { Inputs = inputs };
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartObject("additionalEventData");
            w.WriteString("identityPoolId", pool.IdentityPoolId);
            DecisionJson.Write(w, "decision", decision);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return new AuditRecord(Guid.NewGuid().ToString("D"), at, "GetCredentialsForIdentity", "cognito-identity.amazonaws.com", false, null, null, [],
            Encoding.UTF8.GetString(stream.ToArray()));
    }
}
