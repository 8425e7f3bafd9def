using IdentityBroker.Iam;
using IdentityBroker.Pools;
using IdentityBroker.Policies;
using IdentityBroker.Storage;
using IdentityBroker.Sts;
using IdentityBroker.Tokens;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Mapping;

/// <summary>A role the pool may hand out, and what a token for it would carry.</summary>
/// <param name="Label">How the operator named it, e.g. <c>the authenticated role</c> or <c>rule 2 of mapping X</c>.</param>
/// <param name="Amr">The amr a token of this kind carries.</param>
/// <param name="Tagged">Whether such tokens carry session tags (a principal-tag map applies).</param>
public sealed record RoleUse(string RoleArn, string Label, bool Authenticated, IReadOnlyList<string> Amr, bool Tagged);

/// <summary>
/// The operator checks Cognito lacks (its "Check assigned IAM roles for this pool" is all a caller ever learns): for an
/// embedded-STS role, that it exists, that its trust policy parses, and that the trust admits a broker token of the right
/// kind for this pool — evaluated with <see cref="WebIdentityTrust"/> and the claims such a token carries, including
/// <c>sts:TagSession</c> when principal tags are mapped. In <c>aws</c> STS mode the roles live in AWS and are not checked.
/// </summary>
public sealed class RoleTrustCheck(IIamStore iam, PolicyCache policies, BrokerIssuer issuer, ConfiguredProviders providers, IOptions<BrokerOptions> options)
{
    private const string CognitoPrincipal = "cognito-identity.amazonaws.com";

    /// <summary>A stand-in identity id: trust conditions on a particular sub cannot be checked ahead of time.</summary>
    private const string SampleIdentityGuid = "00000000-0000-0000-0000-000000000000";

    public bool Enabled => options.Value.Sts.Mode == StsMode.Embedded;

    /// <summary>Checks every role the pool can hand out (default roles, the roles of Rules mappings and literal expression-rule roles).</summary>
    /// <returns>Null when all would work; otherwise the first problem.</returns>
    public async Task<string?> PoolProblemAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (!Enabled)
        {
            return null;
        }

        foreach (var use in await RoleUsesAsync(pool, cancellationToken).ConfigureAwait(false))
        {
            if (await ProblemAsync(pool, use, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>
    /// What tokens each role will see: guests amr [unauthenticated]; the authenticated role [authenticated, every provider
    /// of the pool]; a rule's role [authenticated, that mapping's provider]. Token mappings name roles only in user-pool
    /// tokens, so those cannot be known ahead of time.
    /// </summary>
    public async Task<IReadOnlyList<RoleUse>> RoleUsesAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var tagged = pool.PrincipalTagMaps is { Count: > 0 };
        var uses = new List<RoleUse>();
        if (pool.RoleFor(authenticated: false) is { } guest)
        {
            uses.Add(new RoleUse(guest, "the pool's unauthenticated role", false, [BrokerClaims.Unauthenticated], false));
        }

        if (pool.RoleFor(authenticated: true) is { } authenticatedRole)
        {
            var keys = await providers.LoginKeysAsync(pool, cancellationToken).ConfigureAwait(false);
            uses.Add(new RoleUse(authenticatedRole, "the pool's authenticated role", true, [BrokerClaims.Authenticated, .. keys], tagged));
        }

        foreach (var (key, mapping) in pool.RoleMappings ?? new Dictionary<string, RoleMapping>())
        {
            var rules = mapping.Type == RoleResolver.RulesType ? mapping.RulesConfiguration?.Rules ?? [] : [];
            for (var i = 0; i < rules.Count; i++)
            {
                string[] amr = [BrokerClaims.Authenticated, MappingKeys.ProviderPart(key, pool)];
                uses.Add(new RoleUse(rules[i].RoleARN!, $"rule {i + 1} of the role mapping for {key}", true, amr, tagged));
            }
        }

        uses.AddRange(await ExpressionRuleUsesAsync(pool, cancellationToken).ConfigureAwait(false));
        return uses;
    }

    /// <summary>
    /// Expression rules whose Role is a literal ARN: a token from any of the pool's providers may match, with session tags
    /// when the rule sets tags or principal tags are mapped. A Role computed by an expression cannot be known ahead of time.
    /// </summary>
    public async Task<IReadOnlyList<RoleUse>> ExpressionRuleUsesAsync(IdentityPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.ExpressionRules is not { Count: > 0 } rules)
        {
            return [];
        }

        var keys = await providers.LoginKeysAsync(pool, cancellationToken).ConfigureAwait(false);
        var tagged = pool.PrincipalTagMaps is { Count: > 0 };
        return [.. rules.Select((rule, i) => (rule, i)).Where(r => r.rule.HasLiteralRole)
            .Select(r => new RoleUse(r.rule.Role!, $"expression rule {r.i + 1}", true, [BrokerClaims.Authenticated, .. keys], tagged || r.rule.Tags is { Count: > 0 }))];
    }

    /// <returns>Null when the role would work; otherwise a precise message naming the role and the failing condition.</returns>
    public async Task<string?> ProblemAsync(IdentityPool pool, RoleUse use, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(use);
        if (!Enabled)
        {
            return null;
        }

        var role = await FindRoleAsync(use.RoleArn, cancellationToken).ConfigureAwait(false);
        return ProblemWith(pool, use, role);
    }

    /// <summary>The same check against a given version of the role (e.g. with a trust policy not yet saved).</summary>
    public string? ProblemWith(IdentityPool pool, RoleUse use, IamRole? role)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(use);
        if (role is null)
        {
            return $"Role '{use.RoleArn}' ({use.Label}) does not exist in the broker's IAM (account {options.Value.AccountId}).";
        }

        var trust = policies.Parse(role.AssumeRolePolicyDocument, PolicyKind.Trust);
        if (!trust.IsSuccess)
        {
            return $"Role '{use.RoleArn}' ({use.Label}) has a trust policy the STS cannot read: {trust.Error!.Message}";
        }

        var extra = use.Tagged ? new[] { WebIdentityTrust.TagSessionAction } : [];
        var outcome = WebIdentityTrust.Evaluate(trust.Value, role.Arn, Candidates(pool, use), extra);
        if (outcome.IsAllowed)
        {
            return null;
        }

        var kind = use.Authenticated ? "authenticated" : "unauthenticated";
        var why = outcome.DeniedAction == WebIdentityTrust.TagSessionAction
            ? "principal tags are mapped for this pool, so the trust policy must also allow sts:TagSession"
            : $"a token with aud '{pool.IdentityPoolId}' and amr [{string.Join(", ", use.Amr)}] is not admitted";
        var decided = outcome.Decision.Effect == PolicyEffect.ExplicitDeny
            ? $" (explicitly denied by statement {outcome.Decision.StatementIndex + 1}{(outcome.Decision.Sid is { } sid ? $" '{sid}'" : string.Empty)})"
            : string.Empty;
        return $"Role '{use.RoleArn}' ({use.Label}) does not trust this pool's {kind} identities: its trust policy does not allow {outcome.DeniedAction} for the Federated principal {CognitoPrincipal}{decided}; {why}.";
    }

    private async Task<IamRole?> FindRoleAsync(string roleArn, CancellationToken cancellationToken)
    {
        var prefix = $"arn:aws:iam::{options.Value.AccountId}:role/";
        if (!roleArn.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var role = await iam.GetRoleAsync(roleArn[(roleArn.LastIndexOf('/') + 1)..], cancellationToken).ConfigureAwait(false);
        return role is not null && role.Arn == roleArn ? role : null;
    }

    /// <summary>The two ways a trust policy may name the broker (as Cognito, or as an IAM OIDC provider; README).</summary>
    private List<TrustCandidate> Candidates(IdentityPool pool, RoleUse use)
    {
        var region = pool.IdentityPoolId.Split(':')[0];
        var sub = $"{region}:{SampleIdentityGuid}";
        var cognito = Common(use).Set($"{CognitoPrincipal}:aud", pool.IdentityPoolId)
            .Set($"{CognitoPrincipal}:sub", sub)
            .Set($"{CognitoPrincipal}:amr", use.Amr);
        var candidates = new List<TrustCandidate> { new(CognitoPrincipal, CognitoPrincipal, cognito) };
        if (issuer.IsResolved)
        {
            var oidc = Common(use).Set($"{issuer.HostPath}:aud", BrokerClaims.Audience(pool.IdentityPoolId, use.Authenticated))
                .Set($"{issuer.HostPath}:sub", sub);
            candidates.Add(new TrustCandidate(issuer.ProviderArn, issuer.HostPath, oidc));
        }

        return candidates;
    }

    private static ConditionContext Common(RoleUse use)
    {
        var context = new ConditionContext()
            .Set("sts:RoleSessionName", "CognitoIdentityCredentials");
        return use.Tagged ? context.Set("aws:TagKeys", ["tag"]) : context;
    }
}
