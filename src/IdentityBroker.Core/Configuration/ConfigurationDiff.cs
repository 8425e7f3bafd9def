using System.Text.Json;
using System.Text.Json.Serialization;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Iam.SamlProviders;
using IdentityBroker.Storage;

namespace IdentityBroker.Configuration;

/// <summary>
/// Per resource, what a proposed document changes against the exported current one: created, deleted, or updated with the
/// names of the members that differ. Resources are keyed as IAM and Cognito key them (role name, provider URL or name, pool id).
/// </summary>
public static class ConfigurationDiff
{
    private const int DefaultMaxSessionDuration = 3600;

    private static readonly JsonSerializerOptions Canonical = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static IReadOnlyList<ResourceChange> Compare(BrokerDocument current, BrokerDocument proposed)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(proposed);
        var changes = new List<ResourceChange>();
        changes.AddRange(Compare(ConfigurationChanges.OidcProviderKind, current.OpenIdConnectProviders, proposed.OpenIdConnectProviders, p => OidcKey(p.Url)));
        changes.AddRange(Compare(ConfigurationChanges.SamlProviderKind, current.SamlProviders, proposed.SamlProviders, p => p.Name));
        changes.AddRange(Compare(ConfigurationChanges.RoleKind, current.Roles, proposed.Roles, r => r.RoleName));
        changes.AddRange(UserPoolDiff.Compare(current.UserPools, proposed.UserPools));
        changes.AddRange(Compare(ConfigurationChanges.PoolKind, current.IdentityPools, proposed.IdentityPools, p => p.IdentityPoolId));
        return changes;
    }

    /// <summary>Two OIDC provider URLs name the same provider when they do without their scheme (as their ARN does).</summary>
    public static string? OidcKey(string? url) => url is null ? null : Iam.OidcProviderUrls.WithoutScheme(url);

    /// <summary>The members of two documents of one resource that differ, by name.</summary>
    public static IReadOnlyList<string> Members<T>(T current, T proposed)
        where T : class =>
        typeof(T).GetProperties()
            .Where(p => Json(p.GetValue(current)) != Json(p.GetValue(proposed)))
            .Select(p => p.Name)
            .ToList();

    /// <summary>A member's value as compared: an empty list or map is the same as an absent one.</summary>
    public static string Json(object? value) =>
        value is null or System.Collections.ICollection { Count: 0 } ? "null" : JsonSerializer.Serialize(value, value.GetType(), Canonical);

    /// <summary>
    /// Resolves references by name in <paramref name="proposed"/> (in place): a pool's default roles and its role-mapping rules
    /// may name a role (the document's, else a stored one), OpenIdConnectProviderARNs an OIDC provider by URL, and
    /// SamlProviderARNs a SAML provider by name; so may a user pool group's RoleArn. What resolves to nothing is left as written, for the write-time checks to refuse.
    /// </summary>
    public static void ResolveNames(BrokerDocument proposed, ConfigurationState current, string accountId)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(current);
        var roleArns = current.Roles.ToDictionary(r => r.RoleName, r => r.Arn, StringComparer.Ordinal);
        foreach (var role in proposed.Roles ?? [])
        {
            // CreateRole's defaults, so that a document leaving them out matches an export that writes them.
            role.Path ??= "/";
            role.MaxSessionDuration ??= DefaultMaxSessionDuration;
            if (role.RoleName is { } name)
            {
                roleArns[name] = $"arn:aws:iam::{accountId}:role{role.Path ?? "/"}{name}";
            }
        }

        string Role(string value) => IsArn(value) ? value : roleArns.GetValueOrDefault(value, value);
        foreach (var userPool in proposed.UserPools ?? [])
        {
            // Settings compare as exported: members in ordinal order, so key order in the file does not matter.
            userPool.Settings = UserPoolExport.Canonical(userPool.Settings);
            foreach (var client in userPool.Clients ?? [])
            {
                client.Settings = UserPoolExport.Canonical(client.Settings);
            }

            foreach (var group in userPool.Groups ?? [])
            {
                group.RoleArn = group.RoleArn is { } arn ? Role(arn) : null;
            }
        }

        foreach (var pool in proposed.IdentityPools ?? [])
        {
            if (pool.Roles is { } roles)
            {
                pool.Roles = roles.ToDictionary(e => e.Key, e => Role(e.Value), StringComparer.Ordinal);
            }

            foreach (var rule in (pool.RoleMappings ?? []).Values.SelectMany(m => m.RulesConfiguration?.Rules ?? []))
            {
                rule.RoleARN = rule.RoleARN is { } arn ? Role(arn) : null;
            }

            pool.OpenIdConnectProviderARNs = pool.OpenIdConnectProviderARNs?.Select(v => IsArn(v) ? v : OidcProviderUrl.Arn(accountId, v)).ToList();
            pool.SamlProviderARNs = pool.SamlProviderARNs?.Select(v => IsArn(v) ? v : SamlProviderActions.Arn(accountId, v)).ToList();
        }
    }

    private static bool IsArn(string value) => value.StartsWith("arn:", StringComparison.Ordinal);

    private static IEnumerable<ResourceChange> Compare<T>(string kind, List<T>? current, List<T>? proposed, Func<T, string?> key)
        where T : class
    {
        var before = (current ?? []).Where(c => key(c) is not null).ToDictionary(c => key(c)!, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in proposed ?? [])
        {
            if (key(item) is not { } name || !before.TryGetValue(name, out var stored))
            {
                yield return new ResourceChange(kind, key(item) ?? "(new)", ChangeAction.Create, []);
                continue;
            }

            seen.Add(name);
            if (Members(stored, item) is { Count: > 0 } members)
            {
                yield return new ResourceChange(kind, name, ChangeAction.Update, members);
            }
        }

        foreach (var name in before.Keys.Where(k => !seen.Contains(k)))
        {
            yield return new ResourceChange(kind, name, ChangeAction.Delete, []);
        }
    }
}
