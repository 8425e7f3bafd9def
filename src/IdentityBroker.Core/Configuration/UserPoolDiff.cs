using IdentityBroker.Storage;

namespace IdentityBroker.Configuration;

/// <summary>
/// Per user pool, app client and group, what a proposed document changes (docs/config-as-code.md, "User pools"). A pool is
/// compared without its clients and groups, which are resources of their own: <c>UserPool id</c>,
/// <c>UserPoolClient poolId/clientId</c>, <c>UserPoolGroup poolId/name</c>. A document without a <c>UserPools</c> member
/// leaves the user pools alone (documents written before user pools were in it).
/// </summary>
public static class UserPoolDiff
{
    public static IEnumerable<ResourceChange> Compare(List<UserPoolDocument>? current, List<UserPoolDocument>? proposed)
    {
        if (proposed is null)
        {
            yield break;
        }

        var before = (current ?? []).ToDictionary(p => p.Id!, StringComparer.Ordinal);
        foreach (var pool in proposed)
        {
            var name = pool.Id ?? $"(new) {pool.PoolName}";
            var stored = pool.Id is { } id ? before.GetValueOrDefault(id) : null;
            if (stored is null)
            {
                yield return new ResourceChange(ConfigurationChanges.UserPoolKind, name, ChangeAction.Create, []);
            }
            else
            {
                before.Remove(stored.Id!);
                if (Settings(stored, pool) is { Count: > 0 } members)
                {
                    yield return new ResourceChange(ConfigurationChanges.UserPoolKind, name, ChangeAction.Update, members);
                }
            }

            foreach (var change in Children(ConfigurationChanges.UserPoolClientKind, name, stored?.Clients, pool.Clients, c => c.ClientId))
            {
                yield return change;
            }

            foreach (var change in Children(ConfigurationChanges.ResourceServerKind, name, stored?.ResourceServers, pool.ResourceServers, r => r.Identifier))
            {
                yield return change;
            }

            foreach (var change in Children(ConfigurationChanges.UserPoolGroupKind, name, stored?.Groups, pool.Groups, g => g.GroupName))
            {
                yield return change;
            }
        }

        foreach (var id in before.Keys)
        {
            yield return new ResourceChange(ConfigurationChanges.UserPoolKind, id, ChangeAction.Delete, []);
        }
    }

    private static List<string> Settings(UserPoolDocument current, UserPoolDocument proposed)
    {
        var members = new List<string>();
        if (current.PoolName != proposed.PoolName)
        {
            members.Add(nameof(UserPoolDocument.PoolName));
        }

        if (ConfigurationDiff.Json(current.Settings) != ConfigurationDiff.Json(proposed.Settings))
        {
            members.Add(nameof(UserPoolDocument.Settings));
        }

        return members;
    }

    private static IEnumerable<ResourceChange> Children<T>(string kind, string pool, List<T>? current, List<T>? proposed, Func<T, string?> key)
        where T : class
    {
        var before = (current ?? []).Where(c => key(c) is not null).ToDictionary(c => key(c)!, StringComparer.Ordinal);
        foreach (var item in proposed ?? [])
        {
            if (key(item) is not { } name || !before.Remove(name, out var stored))
            {
                yield return new ResourceChange(kind, $"{pool}/{key(item) ?? "(new)"}", ChangeAction.Create, []);
            }
            else if (ConfigurationDiff.Members(stored, item) is { Count: > 0 } members)
            {
                yield return new ResourceChange(kind, $"{pool}/{name}", ChangeAction.Update, members);
            }
        }

        foreach (var name in before.Keys)
        {
            yield return new ResourceChange(kind, $"{pool}/{name}", ChangeAction.Delete, []);
        }
    }
}
