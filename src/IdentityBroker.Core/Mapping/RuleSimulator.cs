using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Iam;
using IdentityBroker.Mapping.Expressions;
using IdentityBroker.Policies;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Mapping;

/// <summary>
/// The operator's "what would happen" (docs/role-mapping.md, "Rule simulator"): runs the same <see cref="RoleResolver"/> and
/// <see cref="PrincipalTagMapper"/> as GetCredentialsForIdentity, checks the chosen role's trust with
/// <see cref="RoleTrustCheck"/>, and evaluates the role's policies (∩ the guest scope-down) for the listed pairs. It reads
/// the store and validates tokens for real, but never creates or links identities and never mints.
/// </summary>
public sealed class RuleSimulator(
    PoolDirectory pools, LoginVerifier verifier, IIamStore iam, PolicyCache policies, RoleTrustCheck trust, ExpressionRuleSets ruleSets, TimeProvider time, IOptions<BrokerOptions> options)
{
    private const string SampleGuid = "00000000-0000-0000-0000-000000000000";

    public async Task<SimulationOutcome> SimulateAsync(SimulationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pool = await pools.Store.GetPoolAsync(request.IdentityPoolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return new SimulationOutcome(null, CognitoErrors.PoolNotFound(request.IdentityPoolId));
        }

        var logins = await LoginsAsync(pool, request, cancellationToken).ConfigureAwait(false);
        if (!logins.IsSuccess)
        {
            return new SimulationOutcome(null, logins.Error);
        }

        var authenticated = logins.Value.Count > 0;
        var identityId = request.IdentityId ?? $"{pool.IdentityPoolId.Split(':')[0]}:{SampleGuid}";
        var now = time.GetUtcNow();
        var expression = ExpressionRoles.Evaluate(ruleSets.For(pool), authenticated, () => new ExpressionInput(
            ExpressionInput.From(logins.Value), identityId, now, [.. logins.Value.Select(l => l.ProviderKey)], ExpressionRequest.Unknown, now));
        var decision = ExpressionRoles.Resolve(pool, authenticated, logins.Value, request.CustomRoleArn, expression);
        var principalTags = authenticated ? PrincipalTagMapper.Map(pool, logins.Value) : PrincipalTagResult.None;
        var tags = principalTags with { Tags = ExpressionRoles.Tags(principalTags.Tags, expression) };
        var notes = new List<string>();
        string? trustProblem = null;
        var policiesOut = new List<EffectivePolicy>();
        var decisions = new List<SimulatedDecision>();
        if (decision.RoleArn is { } roleArn)
        {
            var amr = authenticated ? [BrokerClaims.Authenticated, .. logins.Value.Select(l => l.ProviderKey)] : new[] { BrokerClaims.Unauthenticated };
            trustProblem = await trust.ProblemAsync(pool, new RoleUse(roleArn, "the chosen role", authenticated, amr, tags.Tags.Count > 0), cancellationToken).ConfigureAwait(false);
            var context = Context(pool, request, amr, tags.Tags, roleArn);
            var named = await PoliciesAsync(roleArn, authenticated, notes, cancellationToken).ConfigureAwait(false);
            policiesOut.AddRange(named.Select(n => new EffectivePolicy(n.Name, Substitute(n.Text, n.Document, context))));
            decisions.AddRange(request.Actions.Select(a => Decide(named, a, context)));
        }
        else
        {
            notes.Add($"The request would fail with {decision.Error!.Type}: {decision.Error.Message}");
        }

        var decidedLogins = logins.Value.Select(DecidedLogin.From).ToList();
        var credentialDecision = decision.RoleArn is null
            ? CredentialDecision.RoleRefused(decidedLogins, decision) with { SessionTags = tags.Tags }
            : CredentialDecision.Allowed(decidedLogins, decision, tags.Tags);
        var result = new SimulationResult(pool.IdentityPoolId, authenticated, credentialDecision, tags.Skipped, trustProblem, policiesOut, decisions, notes);
        return new SimulationOutcome(result, null);
    }

    private async Task<Result<IReadOnlyList<MappingLogin>>> LoginsAsync(IdentityPool pool, SimulationRequest request, CancellationToken cancellationToken)
    {
        if (request.Logins is { Count: > 0 } tokens)
        {
            var verified = await verifier.VerifyAsync(pool, tokens, cancellationToken).ConfigureAwait(false);
            return verified.IsSuccess ? Result<IReadOnlyList<MappingLogin>>.Ok([.. verified.Value.Select(MappingLogin.From)]) : verified.Error!;
        }

        var claims = request.Claims ?? new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>();
        return Result<IReadOnlyList<MappingLogin>>.Ok([.. claims.Select(c => request.ClaimPayloads?.GetValueOrDefault(c.Key) is { } json
            ? MappingLogin.FromClaimsJson(c.Key, json)
            : new MappingLogin(c.Key, c.Value))]);
    }

    /// <summary>The request context a session of this identity would present (what the embedded STS and AWS provide).</summary>
    private ConditionContext Context(
        IdentityPool pool, SimulationRequest request, IReadOnlyList<string> amr, IReadOnlyDictionary<string, string> tags, string roleArn)
    {
        var identityId = request.IdentityId ?? $"{pool.IdentityPoolId.Split(':')[0]}:{SampleGuid}";
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var context = new ConditionContext()
            .Set("cognito-identity.amazonaws.com:sub", identityId)
            .Set("cognito-identity.amazonaws.com:aud", pool.IdentityPoolId)
            .Set("cognito-identity.amazonaws.com:amr", amr)
            .Set("aws:PrincipalArn", roleArn)
            .Set("aws:PrincipalAccount", options.Value.AccountId)
            .Set("aws:PrincipalType", "AssumedRole")
            .Set("aws:userid", $"{roleName}:CognitoIdentityCredentials");
        foreach (var (key, value) in tags)
        {
            context.Set($"aws:PrincipalTag/{key}", value);
        }

        return context;
    }

    private async Task<List<NamedPolicy>> PoliciesAsync(string roleArn, bool authenticated, List<string> notes, CancellationToken cancellationToken)
    {
        var named = new List<NamedPolicy>();
        var role = await FindRoleAsync(roleArn, cancellationToken).ConfigureAwait(false);
        if (role is null)
        {
            notes.Add(trust.Enabled
                ? $"Role '{roleArn}' is not in the broker's IAM: no permissions to evaluate."
                : "STS mode is aws: the role's policies live in AWS and are not evaluated here.");
            return named;
        }

        foreach (var (name, text) in role.InlinePolicies.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var parsed = policies.Parse(text, PolicyKind.Permission);
            if (parsed.IsSuccess)
            {
                named.Add(new NamedPolicy($"role:{role.RoleName}/inline:{name}", text, parsed.Value, IsSession: false));
            }
            else
            {
                notes.Add($"Inline policy '{name}' of role {role.RoleName} is malformed: {parsed.Error!.Message}");
            }
        }

        if (!authenticated)
        {
            named.Add(new NamedPolicy("session:guest-scope-down", GuestScopeDown.Policy, PolicyParser.Parse(GuestScopeDown.Policy, PolicyKind.Permission).Value, IsSession: true));
        }

        return named;
    }

    private async Task<IamRole?> FindRoleAsync(string roleArn, CancellationToken cancellationToken)
    {
        var role = await iam.GetRoleAsync(roleArn[(roleArn.LastIndexOf('/') + 1)..], cancellationToken).ConfigureAwait(false);
        return role is not null && role.Arn == roleArn ? role : null;
    }

    /// <summary>Role policies decide first; a session policy can only narrow an Allow (IAM "Session policies").</summary>
    private static SimulatedDecision Decide(List<NamedPolicy> named, SimulatedAction pair, ConditionContext context)
    {
        var request = new PolicyRequest(pair.Action, pair.Resource, null, context);
        var rolePolicies = named.Where(n => !n.IsSession).ToList();
        var roleDecision = PolicyEvaluator.Evaluate([.. rolePolicies.Select(n => n.Document)], request);
        if (!roleDecision.IsAllowed)
        {
            return Describe(pair, roleDecision, rolePolicies, "the role's policies");
        }

        var sessionPolicies = named.Where(n => n.IsSession).ToList();
        foreach (var session in sessionPolicies)
        {
            var bounded = PolicyEvaluator.Evaluate(session.Document, request);
            if (!bounded.IsAllowed)
            {
                return Describe(pair, bounded, [session], "the session policy");
            }
        }

        return Describe(pair, roleDecision, rolePolicies, "the role's policies");
    }

    private static SimulatedDecision Describe(SimulatedAction pair, PolicyDecision decision, List<NamedPolicy> set, string scope)
    {
        if (decision.PolicyIndex is not { } p)
        {
            return new SimulatedDecision(pair.Action, pair.Resource, "ImplicitDeny", null, $"no statement of {scope} allows it");
        }

        var by = $"{set[p].Name} statement {decision.StatementIndex + 1}{(decision.Sid is { } sid ? $" ({sid})" : string.Empty)}";
        var verdict = decision.Effect == PolicyEffect.Allow ? "Allow" : "ExplicitDeny";
        return new SimulatedDecision(pair.Action, pair.Resource, verdict, by, $"{verdict} by {by}");
    }

    /// <summary>The document with every resolvable <c>${…}</c> replaced; 2008-10-17 documents have no variables.</summary>
    private static string Substitute(string text, PolicyDocument document, ConditionContext context)
    {
        if (!document.SupportsVariables || JsonNode.Parse(text) is not { } root)
        {
            return text;
        }

        Walk(root, context);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static void Walk(JsonNode node, ConditionContext context)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue<string>(out var s))
                    {
                        obj[key] = PolicyVariables.Substitute(s, context, enabled: true) ?? s;
                    }
                    else if (child is not null)
                    {
                        Walk(child, context);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var s))
                    {
                        array[i] = PolicyVariables.Substitute(s, context, enabled: true) ?? s;
                    }
                    else if (array[i] is { } child)
                    {
                        Walk(child, context);
                    }
                }

                break;
        }
    }

    private sealed record NamedPolicy(string Name, string Text, PolicyDocument Document, bool IsSession);
}
