using IdentityBroker.Policies;

namespace IdentityBroker.Sts;

/// <summary>
/// The principals a web identity can be named by in a trust policy, each with exactly the condition keys IAM provides.
/// The broker's tokens may be trusted as Cognito's (<c>cognito-identity.amazonaws.com</c> with its aud/sub/amr keys) or
/// as an IAM OIDC provider (its ARN, with <c>&lt;host/path&gt;:aud</c> and <c>:sub</c> only); a third-party provider only as
/// the latter.
/// </summary>
internal static class TrustCandidates
{
    public const string CognitoPrincipal = "cognito-identity.amazonaws.com";

    /// <summary>
    /// The broker's guest tokens carry aud <c>&lt;pool&gt;:unauthenticated</c> so that, under an OIDC-provider principal (raw
    /// aud), they never satisfy an authenticated role's <c>aud = &lt;pool&gt;</c>; Cognito itself would present the pool id.
    /// </summary>
    public const string UnauthenticatedAudienceSuffix = ":unauthenticated";

    public static IReadOnlyList<TrustCandidate> For(WebIdentity identity, string sessionName, DateTimeOffset now)
    {
        var oidc = Common(identity, sessionName, now)
            .Set($"{identity.ProviderKey}:aud", identity.Audiences)
            .Set($"{identity.ProviderKey}:sub", identity.Subject);
        var oidcCandidate = new TrustCandidate(identity.Issuer.ProviderArn, identity.ProviderKey, oidc);
        if (!identity.Issuer.IsBroker)
        {
            return [oidcCandidate];
        }

        var cognito = Common(identity, sessionName, now)
            .Set($"{CognitoPrincipal}:aud", identity.Audiences.Select(StripGuestSuffix).ToList())
            .Set($"{CognitoPrincipal}:sub", identity.Subject)
            .Set($"{CognitoPrincipal}:amr", identity.Amr);
        return [new TrustCandidate(CognitoPrincipal, CognitoPrincipal, cognito), oidcCandidate];
    }

    private static string StripGuestSuffix(string audience) =>
        audience.EndsWith(UnauthenticatedAudienceSuffix, StringComparison.Ordinal) ? audience[..^UnauthenticatedAudienceSuffix.Length] : audience;

    /// <summary>Global keys present in every AssumeRoleWithWebIdentity request context.</summary>
    private static ConditionContext Common(WebIdentity identity, string sessionName, DateTimeOffset now)
    {
        var context = new ConditionContext()
            .SetTime(now)
            .Set("sts:RoleSessionName", sessionName);
        foreach (var (key, value) in identity.Tags.Tags)
        {
            context.Set($"aws:RequestTag/{key}", value);
        }

        if (identity.Tags.Tags.Count > 0)
        {
            context.Set("aws:TagKeys", identity.Tags.Tags.Keys.ToList());
            context.Set("sts:TransitiveTagKeys", identity.Tags.TransitiveKeys);
        }

        if (identity.SourceIdentity is { } source)
        {
            context.Set("sts:SourceIdentity", source);
        }

        return context;
    }
}
