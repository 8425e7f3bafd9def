using IdentityBroker.Pools;

namespace IdentityBroker.Federation.Social;

/// <summary>
/// A pool's SupportedLoginProviders entry for a public provider: the Logins key maps to the app/client id, or to several
/// separated by commas (as the Cognito console writes them; blanks around each id are ignored, empty ids dropped).
/// </summary>
internal static class SupportedLogins
{
    public const string Google = "accounts.google.com";
    public const string Apple = "appleid.apple.com";
    public const string Facebook = "graph.facebook.com";
    public const string Amazon = "www.amazon.com";

    public static bool Lists(IdentityPool pool, string providerKey, string expectedKey)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return string.Equals(providerKey, expectedKey, StringComparison.Ordinal) && pool.SupportedLoginProviders?.ContainsKey(expectedKey) == true;
    }

    /// <summary>The configured ids for <paramref name="providerKey"/>; empty when the pool does not list it.</summary>
    public static IReadOnlyList<string> AppIds(IdentityPool pool, string providerKey)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.SupportedLoginProviders is { } map && map.TryGetValue(providerKey, out var value)
            ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];
    }

    /// <summary>The amr entry of a public provider (by analogy with the user-pool form, Amazon Cognito Developer Guide, "IAM roles"): <c>&lt;key&gt;:&lt;subject&gt;</c>.</summary>
    public static ValidatedLogin Login(
        string providerKey, string subject, IReadOnlyDictionary<string, IReadOnlyList<string>> claims, DateTimeOffset? expiresAt) =>
        new(providerKey, subject, $"{providerKey}:{subject}", claims) { ExpiresAt = expiresAt };
}
