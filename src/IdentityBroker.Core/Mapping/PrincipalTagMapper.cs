using System.Text.RegularExpressions;
using IdentityBroker.Pools;

namespace IdentityBroker.Mapping;

/// <summary>The session tags of a request and, for the operator, why a mapped tag was left out.</summary>
public sealed record PrincipalTagResult(IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Skipped)
{
    public static readonly PrincipalTagResult None = new(new Dictionary<string, string>(), []);
}

/// <summary>
/// Applies the pool's principal-tag maps to the logins of a request (Amazon Cognito Developer Guide, "Using attributes for access control"). Logins are taken in ordinal order of their
/// key (as in <see cref="RoleResolver"/>); when two providers map the same tag key, the first one keeps it. A claim that is
/// absent, multi-valued (an STS tag has one value), or not a valid STS tag value is left out rather than failing the whole
/// request at STS; the reason is returned for the log and the simulator. At most 50 tags (the STS limit).
/// </summary>
public static partial class PrincipalTagMapper
{
    private const int MaxTags = 50;

    public static PrincipalTagResult Map(IdentityPool pool, IReadOnlyList<MappingLogin> logins)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(logins);
        if (pool.PrincipalTagMaps is not { Count: > 0 } maps)
        {
            return PrincipalTagResult.None;
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var skipped = new List<string>();
        foreach (var login in logins.OrderBy(l => l.ProviderKey, StringComparer.Ordinal))
        {
            if (MappingKeys.Find(maps, login) is not { } key)
            {
                continue;
            }

            foreach (var (tag, claim) in Entries(key, maps[key]))
            {
                AddTag(tags, skipped, login, tag, claim);
            }
        }

        return new PrincipalTagResult(tags, skipped);
    }

    /// <summary>The effective tag → claim entries of a stored map.</summary>
    public static IReadOnlyDictionary<string, string> Entries(string providerName, PrincipalTagMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return map.UseDefaults
            ? PrincipalTagDefaults.For(providerName)
            : map.PrincipalTags ?? new Dictionary<string, string>();
    }

    private static void AddTag(Dictionary<string, string> tags, List<string> skipped, MappingLogin login, string tag, string claim)
    {
        if (tags.ContainsKey(tag))
        {
            skipped.Add($"tag '{tag}' from {login.ProviderKey}: already set by another login");
        }
        else if (login.Claim(claim) is not { } values)
        {
            skipped.Add($"tag '{tag}' from {login.ProviderKey}: the token has no claim '{claim}'");
        }
        else if (values.Count != 1)
        {
            skipped.Add($"tag '{tag}' from {login.ProviderKey}: claim '{claim}' has {values.Count} values; a session tag has one");
        }
        else if (values[0].Length > 256 || !TagValue().IsMatch(values[0]))
        {
            skipped.Add($"tag '{tag}' from {login.ProviderKey}: the value of claim '{claim}' is not a valid STS tag value");
        }
        else if (tags.Count >= MaxTags)
        {
            skipped.Add($"tag '{tag}' from {login.ProviderKey}: STS allows at most {MaxTags} session tags");
        }
        else
        {
            tags[tag] = values[0];
        }
    }

    // sts.service-2.json tagValueType.
    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*\z")]
    private static partial Regex TagValue();
}
