using System.Text.Json;
using System.Text.Json.Nodes;
using Kinds = IdentityBroker.Storage.ConfigurationChanges;

namespace IdentityBroker.Configuration;

/// <summary>
/// User pools in a plan: CreateUserPool / UpdateUserPool, then the pool's app clients (CreateUserPoolClient,
/// UpdateUserPoolClient, DeleteUserPoolClient) and groups (CreateGroup, UpdateGroup, DeleteGroup), through the broker's own
/// handlers in the sandbox. A pool or client the document names by an id it does not have yet is created and given that id.
/// </summary>
internal sealed partial class ConfigurationReplay
{
    private async Task UserPoolAsync(UserPoolDocument? current, UserPoolDocument proposed, CancellationToken cancellationToken)
    {
        var name = proposed.Id ?? $"(new) {proposed.PoolName}";
        string id;
        if (current is null)
        {
            var create = Input(proposed.Settings);
            create["PoolName"] = proposed.PoolName;
            var created = await UserPoolsAsync(Kinds.UserPoolKind, name, "CreateUserPool", create, cancellationToken).ConfigureAwait(false);
            if (created?.GetProperty("UserPool").GetProperty("Id").GetString() is not { } newId)
            {
                return;
            }

            id = newId;
            if (proposed.Id is { } wanted)
            {
                staged.RenameUserPool(newId, wanted);
                id = wanted;
            }
        }
        else
        {
            id = current.Id!;
            await UpdateUserPoolAsync(name, id, current, proposed, cancellationToken).ConfigureAwait(false);
        }

        // Resource servers before the clients that name their scopes; deleted after the clients stop naming them.
        var servers = await ResourceServersAsync(name, id, current?.ResourceServers ?? [], proposed.ResourceServers ?? [], cancellationToken).ConfigureAwait(false);
        await ClientsAsync(name, id, current?.Clients ?? [], proposed.Clients ?? [], cancellationToken).ConfigureAwait(false);
        foreach (var identifier in servers)
        {
            await UserPoolsAsync(Kinds.ResourceServerKind, $"{name}/{identifier}", "DeleteResourceServer",
                new { UserPoolId = id, Identifier = identifier }, cancellationToken).ConfigureAwait(false);
        }

        await GroupsAsync(name, id, current?.Groups ?? [], proposed.Groups ?? [], cancellationToken).ConfigureAwait(false);
    }

    private async Task UpdateUserPoolAsync(string name, string id, UserPoolDocument current, UserPoolDocument proposed, CancellationToken cancellationToken)
    {
        var fixedChanged = UserPoolExport.FixedPoolSettings
            .Where(s => ConfigurationDiff.Json(current.Settings?[s]) != ConfigurationDiff.Json(proposed.Settings?[s]))
            .ToList();
        if (fixedChanged.Count > 0)
        {
            _problems.Add(new ConfigurationProblem(Kinds.UserPoolKind, name, "InvalidParameterException",
                $"Cognito cannot change a user pool's {string.Join(", ", fixedChanged)} after it is created; delete the pool and create it with the new settings."));
        }

        if (current.PoolName == proposed.PoolName && ConfigurationDiff.Json(current.Settings) == ConfigurationDiff.Json(proposed.Settings))
        {
            return;
        }

        // UpdateUserPool replaces every setting it carries (a setting left out returns to its default), so all are sent.
        var update = Input(proposed.Settings);
        foreach (var fixedSetting in UserPoolExport.FixedPoolSettings)
        {
            update.Remove(fixedSetting);
        }

        update["UserPoolId"] = id;
        update["PoolName"] = proposed.PoolName;
        await UserPoolsAsync(Kinds.UserPoolKind, name, "UpdateUserPool", update, cancellationToken).ConfigureAwait(false);
    }

    private async Task ClientsAsync(string pool, string poolId, List<UserPoolClientDocument> current, List<UserPoolClientDocument> proposed, CancellationToken cancellationToken)
    {
        var before = current.ToDictionary(c => c.ClientId!, StringComparer.Ordinal);
        foreach (var client in proposed)
        {
            var name = $"{pool}/{client.ClientId ?? $"(new) {client.ClientName}"}";
            var input = Input(client.Settings);
            input["UserPoolId"] = poolId;
            input["ClientName"] = client.ClientName;
            if (Take(before, client.ClientId) is not { } stored)
            {
                input["GenerateSecret"] = client.GenerateSecret;
                var created = await UserPoolsAsync(Kinds.UserPoolClientKind, name, "CreateUserPoolClient", input, cancellationToken).ConfigureAwait(false);
                if (created?.GetProperty("UserPoolClient").GetProperty("ClientId").GetString() is { } newId && client.ClientId is { } wanted)
                {
                    staged.RenameClient(poolId, newId, wanted);
                }

                continue;
            }

            if (stored.GenerateSecret != client.GenerateSecret)
            {
                _problems.Add(new ConfigurationProblem(Kinds.UserPoolClientKind, name, "InvalidParameterException",
                    "An app client has a secret or not from its creation (GenerateSecret); delete the client and create it anew."));
            }

            if (stored.ClientName != client.ClientName || ConfigurationDiff.Json(stored.Settings) != ConfigurationDiff.Json(client.Settings))
            {
                // UpdateUserPoolClient replaces every setting, as UpdateUserPool does.
                input["ClientId"] = stored.ClientId;
                await UserPoolsAsync(Kinds.UserPoolClientKind, name, "UpdateUserPoolClient", input, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var clientId in before.Keys)
        {
            await UserPoolsAsync(Kinds.UserPoolClientKind, $"{pool}/{clientId}", "DeleteUserPoolClient",
                new { UserPoolId = poolId, ClientId = clientId }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task GroupsAsync(string pool, string poolId, List<UserPoolGroupDocument> current, List<UserPoolGroupDocument> proposed, CancellationToken cancellationToken)
    {
        var before = current.ToDictionary(g => g.GroupName!, StringComparer.Ordinal);
        foreach (var group in proposed)
        {
            var name = $"{pool}/{group.GroupName ?? "(no GroupName)"}";
            var input = new { UserPoolId = poolId, group.GroupName, group.Description, group.RoleArn, group.Precedence };
            if (Take(before, group.GroupName) is not { } stored)
            {
                await UserPoolsAsync(Kinds.UserPoolGroupKind, name, "CreateGroup", input, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if ((stored.Description is not null && group.Description is null) || (stored.RoleArn is not null && group.RoleArn is null)
                || (stored.Precedence is not null && group.Precedence is null))
            {
                // UpdateGroup keeps what it is not given, so a member cannot be taken away by an update.
                _problems.Add(new ConfigurationProblem(Kinds.UserPoolGroupKind, name, "InvalidParameterException",
                    "UpdateGroup cannot remove a group's Description, RoleArn or Precedence; give a new value, or delete the group and create it anew."));
            }
            else if (ConfigurationDiff.Members(stored, group).Count > 0)
            {
                await UserPoolsAsync(Kinds.UserPoolGroupKind, name, "UpdateGroup", input, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var groupName in before.Keys)
        {
            await UserPoolsAsync(Kinds.UserPoolGroupKind, $"{pool}/{groupName}", "DeleteGroup",
                new { UserPoolId = poolId, GroupName = groupName }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates and updates the document's resource servers; returns the identifiers of those it no longer has.</summary>
    private async Task<IReadOnlyCollection<string>> ResourceServersAsync(
        string pool, string poolId, List<ResourceServerDocument> current, List<ResourceServerDocument> proposed, CancellationToken cancellationToken)
    {
        var before = current.ToDictionary(r => r.Identifier!, StringComparer.Ordinal);
        foreach (var server in proposed)
        {
            var name = $"{pool}/{server.Identifier ?? "(no Identifier)"}";
            var input = new { UserPoolId = poolId, server.Identifier, server.Name, server.Scopes };
            if (Take(before, server.Identifier) is not { } stored)
            {
                await UserPoolsAsync(Kinds.ResourceServerKind, name, "CreateResourceServer", input, cancellationToken).ConfigureAwait(false);
            }
            else if (ConfigurationDiff.Members(stored, server).Count > 0)
            {
                await UserPoolsAsync(Kinds.ResourceServerKind, name, "UpdateResourceServer", input, cancellationToken).ConfigureAwait(false);
            }
        }

        return before.Keys;
    }

    /// <summary>An operation's input: a copy of the document's settings, to which the operation's own members are added.</summary>
    private static JsonObject Input(JsonObject? settings) =>
        settings?.DeepClone().AsObject() ?? [];
}
