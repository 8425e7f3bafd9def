using IdentityBroker.Identities;
using IdentityBroker.Pools;

namespace IdentityBroker.Federation.Developer;

/// <summary>
/// Developer-authenticated users (pool DeveloperProviderName): stored as logins with provider = the developer provider
/// name and subject = the developer user id. The app backend vouches for them with a SigV4-signed call, which is
/// their validation; this is the only place that turns one into a <see cref="ValidatedLogin"/>.
/// </summary>
public static class DeveloperLogins
{
    public static LoginKey Key(string developerProviderName, string developerUserId) => new(developerProviderName, developerUserId);

    /// <summary>
    /// The login for a developer user named in a signed request; its <c>amr</c> entry is
    /// <c>&lt;DeveloperProviderName&gt;:&lt;region&gt;:&lt;pool guid&gt;:&lt;developer user id&gt;</c> (Amazon Cognito Developer Guide, "IAM roles", amr).
    /// </summary>
    public static ValidatedLogin Vouched(IdentityPool pool, string developerUserId, IReadOnlyDictionary<string, string>? principalTags)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var provider = pool.DeveloperProviderName ?? throw new ArgumentException("The pool has no developer provider.", nameof(pool));
        var claims = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["sub"] = [developerUserId],
            ["aud"] = [pool.IdentityPoolId],
        };
        return new ValidatedLogin(provider, developerUserId, $"{provider}:{pool.IdentityPoolId}:{developerUserId}", claims)
        {
            PrincipalTags = principalTags,
        };
    }
}
