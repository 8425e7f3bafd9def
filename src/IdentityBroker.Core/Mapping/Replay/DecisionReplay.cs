using System.Text;
using System.Text.Json;
using IdentityBroker.Audit;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Mapping.Expressions;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Mapping.Replay;

/// <summary>What an operator proposes: new expression rules and/or role mappings (null keeps the pool's), and a time window.</summary>
public sealed record ReplayRequest(
    string IdentityPoolId,
    IReadOnlyList<ExpressionRule>? ExpressionRules,
    IReadOnlyDictionary<string, RoleMapping>? RoleMappings,
    DateTimeOffset Start,
    DateTimeOffset End)
{
    /// <summary>
    /// The whole pool as a proposed configuration leaves it (its default roles, role mappings, principal-tag maps and
    /// expression rules), already through the write-time checks; when set, it replaces the stored pool and
    /// <see cref="ExpressionRules"/> and <see cref="RoleMappings"/> are not read (docs/config-as-code.md, "What-if replay").
    /// </summary>
    public IdentityPool? ProposedPool { get; init; }
}

/// <summary>One side of a replayed decision: allowed or not, the role, the session tags and what chose the role.</summary>
public sealed record ReplayOutcome(bool Allowed, string? RoleArn, IReadOnlyDictionary<string, string> Tags, string? ChosenBy, int? ExpressionRuleIndex);

/// <summary>A recorded decision that the proposal would change: what changed (role, tags, outcome) and how.</summary>
public sealed record ReplayedChange(string EventId, DateTimeOffset EventTime, string IdentityId, ReplayOutcome Recorded, ReplayOutcome Proposed, IReadOnlyList<string> Changes);

/// <param name="Replayed">Recorded credential decisions decided again.</param>
/// <param name="Skipped">Records in the window without the inputs a replay needs (refused before a login validated, or older than replay).</param>
public sealed record ReplayResult(int Replayed, int Skipped, bool Truncated, IReadOnlyList<ReplayedChange> Changed);

/// <summary>
/// What-if replay (docs/expression-rules.md, "Replay"): the pool's recorded GetCredentialsForIdentity decisions in a
/// window, decided again with the proposed rules and mappings by the same code as the live path
/// (<see cref="ExpressionRoles"/>, <see cref="PrincipalTagMapper"/>) on the inputs the audit record kept, with <c>now</c>
/// as the event's time. STS is not called again: a decision whose role and tags stay the same keeps its recorded outcome.
/// </summary>
public sealed class DecisionReplay(IPoolStore pools, IAuditStore audit)
{
    public const int MaxEvents = 10_000;
    private const string EventName = "GetCredentialsForIdentity";
    private const int Page = 50;

    public async Task<Result<ReplayResult>> ReplayAsync(ReplayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.End < request.Start)
        {
            return CognitoErrors.InvalidParameter("EndTime is before StartTime.");
        }

        var pool = await pools.GetPoolAsync(request.IdentityPoolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return CognitoErrors.PoolNotFound(request.IdentityPoolId);
        }

        var proposed = request.ProposedPool ?? pool with
        {
            ExpressionRules = request.ExpressionRules ?? pool.ExpressionRules,
            RoleMappings = request.RoleMappings ?? pool.RoleMappings,
        };
        var (rules, problems) = ExpressionRuleCompiler.Compile(proposed.ExpressionRules);
        if (rules is null)
        {
            return CognitoErrors.InvalidParameter(string.Join(" ", problems));
        }

        return await ReplayAsync(proposed, rules, request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ReplayResult> ReplayAsync(IdentityPool proposed, CompiledRuleSet rules, ReplayRequest request, CancellationToken cancellationToken)
    {
        var changed = new List<ReplayedChange>();
        int replayed = 0, skipped = 0, seen = 0;
        AuditCursor? cursor = null;
        do
        {
            var page = await audit.LookupAuditAsync(new AuditQuery(request.Start, request.End, AuditAttribute.EventName, EventName, Page, cursor), cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Events)
            {
                seen++;
                switch (Recorded.Read(record, proposed.IdentityPoolId))
                {
                    case null:
                        break;
                    case { Inputs: null }:
                        skipped++;
                        break;
                    case { } recorded:
                        replayed++;
                        if (Compare(recorded, Decide(proposed, rules, recorded)) is { } change)
                        {
                            changed.Add(change);
                        }

                        break;
                }
            }

            cursor = page.Next;
        }
        while (cursor is not null && seen < MaxEvents);
        changed.Reverse();
        return new ReplayResult(replayed, skipped, cursor is not null, changed);
    }

    private static ReplayOutcome Decide(IdentityPool pool, CompiledRuleSet rules, Recorded recorded)
    {
        var inputs = recorded.Inputs!;
        var logins = inputs.Logins.Select(l => new MappingLogin(l.Provider, TokenClaims.Flatten(l.ClaimsJson)) { Payload = l.ClaimsJson }).ToList();
        var authenticated = inputs.IdentityLogins.Count > 0 || logins.Count > 0;
        var expression = ExpressionRoles.Evaluate(rules, authenticated,
            () => new ExpressionInput(inputs.Logins, inputs.IdentityId, inputs.IdentityCreated, inputs.IdentityLogins, inputs.Request, recorded.EventTime));
        var role = ExpressionRoles.Resolve(pool, authenticated, logins, inputs.CustomRoleArn, expression);
        var tags = role.RoleArn is null
            ? new Dictionary<string, string>()
            : ExpressionRoles.Tags(authenticated ? PrincipalTagMapper.Map(pool, logins).Tags : new Dictionary<string, string>(), expression);
        var same = role.RoleArn == recorded.Outcome.RoleArn && SameTags(tags, recorded.Outcome.Tags);

        // STS is not asked again: with the same role and tags, the recorded outcome (including an STS refusal) stands.
        var allowed = same ? recorded.Outcome.Allowed : role.RoleArn is not null;
        return new ReplayOutcome(allowed, role.RoleArn, tags, DecisionJson.ChosenBy(role), role.Expression?.Index);
    }

    private static ReplayedChange? Compare(Recorded recorded, ReplayOutcome proposed)
    {
        var before = recorded.Outcome;
        var changes = new List<string>();
        if (before.RoleArn != proposed.RoleArn)
        {
            changes.Add("role");
        }

        if (!SameTags(before.Tags, proposed.Tags))
        {
            changes.Add("tags");
        }

        if (before.Allowed != proposed.Allowed)
        {
            changes.Add("outcome");
        }

        return changes.Count == 0 ? null : new ReplayedChange(recorded.EventId, recorded.EventTime, recorded.Inputs!.IdentityId, before, proposed, changes);
    }

    private static bool SameTags(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(t => b.TryGetValue(t.Key, out var v) && v == t.Value);

    /// <summary>A GetCredentialsForIdentity record of the pool, read back from its CloudTrail JSON (<see cref="DecisionJson"/>).</summary>
    private sealed record Recorded(string EventId, DateTimeOffset EventTime, ReplayOutcome Outcome, DecisionInputs? Inputs)
    {
        public static Recorded? Read(AuditRecord record, string poolId)
        {
            using var document = JsonDocument.Parse(record.CloudTrailEvent);
            if (!document.RootElement.TryGetProperty("additionalEventData", out var data)
                || !data.TryGetProperty("identityPoolId", out var pool) || pool.GetString() != poolId
                || !data.TryGetProperty("decision", out var decision))
            {
                return null;
            }

            var role = decision.TryGetProperty("role", out var r) ? r : default;
            var outcome = new ReplayOutcome(
                decision.GetProperty("allowed").GetBoolean(),
                role.ValueKind == JsonValueKind.Object && role.TryGetProperty("roleArn", out var arn) ? arn.GetString() : null,
                decision.TryGetProperty("sessionTags", out var tags) ? tags.EnumerateObject().ToDictionary(t => t.Name, t => t.Value.GetString() ?? string.Empty, StringComparer.Ordinal) : [],
                role.ValueKind == JsonValueKind.Object && role.TryGetProperty("chosenBy", out var by) ? by.GetString() : null,
                role.ValueKind == JsonValueKind.Object && role.TryGetProperty("expressionRule", out var rule) ? rule.GetProperty("index").GetInt32() : null);
            var inputs = decision.TryGetProperty("inputs", out var i) ? ReadInputs(i) : null;
            return new Recorded(record.EventId, record.EventTime, outcome, inputs);
        }

        private static DecisionInputs ReadInputs(JsonElement i) => new(
            [.. i.GetProperty("claims").EnumerateObject().Select(c => new ExpressionLogin(c.Name, Encoding.UTF8.GetBytes(c.Value.GetRawText())))],
            i.GetProperty("identityId").GetString()!,
            i.GetProperty("identityCreated").GetDateTimeOffset(),
            [.. i.GetProperty("identityLogins").EnumerateArray().Select(p => p.GetString()!)],
            new ExpressionRequest(i.GetProperty("sourceIp").GetString() ?? string.Empty, i.GetProperty("userAgent").GetString() ?? string.Empty),
            i.TryGetProperty("customRoleArn", out var custom) ? custom.GetString() : null);
    }
}
