using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Iam.Roles;
using IdentityBroker.Iam.SamlProviders;
using IdentityBroker.Mapping.Expressions;
using IdentityBroker.Pools;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Kinds = IdentityBroker.Storage.ConfigurationChanges;

namespace IdentityBroker.Configuration;

/// <summary>
/// Makes the staged state what a document says by making the calls an operator would make — CreateRole, PutRolePolicy,
/// CreateOpenIDConnectProvider, CreateIdentityPool, SetIdentityPoolRoles, SetPrincipalTagAttributeMap, the expression-rules
/// write… — to the broker's own handlers in a <see cref="ConfigurationSandbox"/>, as an admin. Every refusal becomes a
/// <see cref="ConfigurationProblem"/> with the API's own error. Order: providers and roles before the user pools and pools
/// that name them, pool deletions before the roles and providers they stop naming.
/// </summary>
internal sealed partial class ConfigurationReplay(IServiceProvider sandbox, StagedConfigurationStore staged, string accountId)
{
    private const string RequestId = "configuration-plan";

    private static readonly SigningPrincipal Operator = new("configuration", string.Empty, "arn:aws:iam::000000000000:root", "configuration", IsAdmin: true);

    private static readonly JsonSerializerOptions Wire = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly List<ConfigurationProblem> _problems = [];

    public IReadOnlyList<ConfigurationProblem> Problems => _problems;

    public async Task RunAsync(BrokerDocument current, BrokerDocument proposed, CancellationToken cancellationToken)
    {
        var oidc = (current.OpenIdConnectProviders ?? []).ToDictionary(p => ConfigurationDiff.OidcKey(p.Url)!, StringComparer.Ordinal);
        var saml = (current.SamlProviders ?? []).ToDictionary(p => p.Name!, StringComparer.Ordinal);
        var roles = (current.Roles ?? []).ToDictionary(r => r.RoleName!, StringComparer.Ordinal);
        var pools = (current.IdentityPools ?? []).ToDictionary(p => p.IdentityPoolId!, StringComparer.Ordinal);

        foreach (var provider in proposed.OpenIdConnectProviders ?? [])
        {
            await OidcAsync(Take(oidc, ConfigurationDiff.OidcKey(provider.Url)), provider, cancellationToken).ConfigureAwait(false);
        }

        foreach (var provider in proposed.SamlProviders ?? [])
        {
            await SamlAsync(Take(saml, provider.Name), provider, cancellationToken).ConfigureAwait(false);
        }

        foreach (var role in proposed.Roles ?? [])
        {
            await RoleAsync(Take(roles, role.RoleName), role, cancellationToken).ConfigureAwait(false);
        }

        // A document without UserPools leaves them alone (UserPoolDiff).
        var userPools = proposed.UserPools is null ? [] : (current.UserPools ?? []).ToDictionary(p => p.Id!, StringComparer.Ordinal);
        foreach (var pool in proposed.UserPools ?? [])
        {
            await UserPoolAsync(Take(userPools, pool.Id), pool, cancellationToken).ConfigureAwait(false);
        }

        foreach (var pool in proposed.IdentityPools ?? [])
        {
            await PoolAsync(Take(pools, pool.IdentityPoolId), pool, cancellationToken).ConfigureAwait(false);
        }

        // What is left of the current state is what the document no longer has.
        foreach (var id in pools.Keys)
        {
            await CognitoAsync(Kinds.PoolKind, id, "DeleteIdentityPool", new { IdentityPoolId = id }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var id in userPools.Keys)
        {
            await UserPoolsAsync(Kinds.UserPoolKind, id, "DeleteUserPool", new { UserPoolId = id }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (name, role) in roles)
        {
            foreach (var policy in (role.RolePolicies ?? []).Keys)
            {
                await IamAsync<IamRoleHandler>(Kinds.RoleKind, name, "DeleteRolePolicy", new() { ["RoleName"] = name, ["PolicyName"] = policy }, cancellationToken).ConfigureAwait(false);
            }

            await IamAsync<IamRoleHandler>(Kinds.RoleKind, name, "DeleteRole", new() { ["RoleName"] = name }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (key, provider) in oidc)
        {
            await IamAsync<OidcProviderActions>(Kinds.OidcProviderKind, key, "DeleteOpenIDConnectProvider",
                new() { ["OpenIDConnectProviderArn"] = OidcProviderUrl.Arn(accountId, provider.Url!) }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var name in saml.Keys)
        {
            await IamAsync<SamlProviderActions>(Kinds.SamlProviderKind, name, "DeleteSAMLProvider",
                new() { ["SAMLProviderArn"] = SamlProviderActions.Arn(accountId, name) }, cancellationToken).ConfigureAwait(false);
        }
    }

    private static T? Take<T>(Dictionary<string, T> current, string? key)
        where T : class =>
        key is not null && current.Remove(key, out var stored) ? stored : null;

    private async Task OidcAsync(OidcProviderDocument? current, OidcProviderDocument proposed, CancellationToken cancellationToken)
    {
        var key = ConfigurationDiff.OidcKey(proposed.Url) ?? "(no Url)";
        if (current is null)
        {
            var create = new Dictionary<string, string>();
            Put(create, "Url", proposed.Url);
            Members(create, "ClientIDList", proposed.ClientIDList);
            Members(create, "ThumbprintList", proposed.ThumbprintList);
            Tags(create, proposed.Tags);
            await IamAsync<OidcProviderActions>(Kinds.OidcProviderKind, key, "CreateOpenIDConnectProvider", create, cancellationToken).ConfigureAwait(false);
            return;
        }

        var arn = OidcProviderUrl.Arn(accountId, current.Url!);
        if (ConfigurationDiff.Json(current.Tags) != ConfigurationDiff.Json(proposed.Tags))
        {
            TagsFixed(Kinds.OidcProviderKind, key);
        }

        if (ConfigurationDiff.Json(current.ThumbprintList) != ConfigurationDiff.Json(proposed.ThumbprintList))
        {
            var update = new Dictionary<string, string> { ["OpenIDConnectProviderArn"] = arn };
            Members(update, "ThumbprintList", proposed.ThumbprintList);
            await IamAsync<OidcProviderActions>(Kinds.OidcProviderKind, key, "UpdateOpenIDConnectProviderThumbprint", update, cancellationToken).ConfigureAwait(false);
        }

        var before = current.ClientIDList ?? [];
        var after = proposed.ClientIDList ?? [];
        foreach (var added in after.Except(before, StringComparer.Ordinal))
        {
            await IamAsync<OidcProviderActions>(Kinds.OidcProviderKind, key, "AddClientIDToOpenIDConnectProvider",
                new() { ["OpenIDConnectProviderArn"] = arn, ["ClientID"] = added }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var removed in before.Except(after, StringComparer.Ordinal))
        {
            await IamAsync<OidcProviderActions>(Kinds.OidcProviderKind, key, "RemoveClientIDFromOpenIDConnectProvider",
                new() { ["OpenIDConnectProviderArn"] = arn, ["ClientID"] = removed }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SamlAsync(SamlProviderDocument? current, SamlProviderDocument proposed, CancellationToken cancellationToken)
    {
        var name = proposed.Name ?? "(no Name)";
        if (current is null)
        {
            var create = new Dictionary<string, string>();
            Put(create, "Name", proposed.Name);
            Put(create, "SAMLMetadataDocument", proposed.SAMLMetadataDocument);
            Tags(create, proposed.Tags);
            await IamAsync<SamlProviderActions>(Kinds.SamlProviderKind, name, "CreateSAMLProvider", create, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (ConfigurationDiff.Json(current.Tags) != ConfigurationDiff.Json(proposed.Tags))
        {
            TagsFixed(Kinds.SamlProviderKind, name);
        }

        if (current.SAMLMetadataDocument != proposed.SAMLMetadataDocument)
        {
            var update = new Dictionary<string, string> { ["SAMLProviderArn"] = SamlProviderActions.Arn(accountId, name) };
            Put(update, "SAMLMetadataDocument", proposed.SAMLMetadataDocument);
            await IamAsync<SamlProviderActions>(Kinds.SamlProviderKind, name, "UpdateSAMLProvider", update, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RoleAsync(RoleDocument? current, RoleDocument proposed, CancellationToken cancellationToken)
    {
        var name = proposed.RoleName ?? "(no RoleName)";
        var roleName = new Dictionary<string, string>();
        Put(roleName, "RoleName", proposed.RoleName);
        if (current is null)
        {
            var create = new Dictionary<string, string>(roleName);
            Put(create, "Path", proposed.Path);
            Put(create, "AssumeRolePolicyDocument", proposed.AssumeRolePolicyDocument);
            Put(create, "Description", proposed.Description);
            Put(create, "MaxSessionDuration", proposed.MaxSessionDuration?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!await IamAsync<IamRoleHandler>(Kinds.RoleKind, name, "CreateRole", create, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
        else
        {
            if (current.Path != proposed.Path)
            {
                _problems.Add(new ConfigurationProblem(Kinds.RoleKind, name, "InvalidInput",
                    "IAM cannot change a role's Path; delete the role and create it under the new path."));
            }

            if (current.Description != proposed.Description || current.MaxSessionDuration != proposed.MaxSessionDuration)
            {
                var update = new Dictionary<string, string>(roleName);
                Put(update, "Description", proposed.Description ?? string.Empty);
                Put(update, "MaxSessionDuration", proposed.MaxSessionDuration?.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await IamAsync<IamRoleHandler>(Kinds.RoleKind, name, "UpdateRole", update, cancellationToken).ConfigureAwait(false);
            }

            if (current.AssumeRolePolicyDocument != proposed.AssumeRolePolicyDocument)
            {
                var update = new Dictionary<string, string>(roleName);
                Put(update, "PolicyDocument", proposed.AssumeRolePolicyDocument);
                await IamAsync<IamRoleHandler>(Kinds.RoleKind, name, "UpdateAssumeRolePolicy", update, cancellationToken).ConfigureAwait(false);
            }
        }

        var before = current?.RolePolicies ?? [];
        foreach (var (policy, document) in proposed.RolePolicies ?? [])
        {
            if (!before.TryGetValue(policy, out var stored) || stored != document)
            {
                await IamAsync<IamRoleHandler>(Kinds.RoleKind, name, "PutRolePolicy",
                    new(roleName) { ["PolicyName"] = policy, ["PolicyDocument"] = document }, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var policy in before.Keys.Except((proposed.RolePolicies ?? []).Keys, StringComparer.Ordinal))
        {
            await IamAsync<IamRoleHandler>(Kinds.RoleKind, name, "DeleteRolePolicy", new(roleName) { ["PolicyName"] = policy }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PoolAsync(PoolDocument? current, PoolDocument proposed, CancellationToken cancellationToken)
    {
        var name = proposed.IdentityPoolId ?? $"(new) {proposed.IdentityPoolName}";
        string id;
        if (current is null)
        {
            var created = await CognitoAsync(Kinds.PoolKind, name, "CreateIdentityPool", Settings(proposed, id: null), cancellationToken).ConfigureAwait(false);
            if (created?.GetProperty("IdentityPoolId").GetString() is not { } newId)
            {
                return;
            }

            id = newId;
            if (proposed.IdentityPoolId is { } wanted)
            {
                staged.Rename(newId, wanted);
                id = wanted;
            }
        }
        else
        {
            id = current.IdentityPoolId!;
        }

        if (current is not null && SettingsDiffer(current, proposed))
        {
            await CognitoAsync(Kinds.PoolKind, name, "UpdateIdentityPool", Settings(proposed, id), cancellationToken).ConfigureAwait(false);
        }

        if (ConfigurationDiff.Json(current?.Roles) != ConfigurationDiff.Json(proposed.Roles)
            || ConfigurationDiff.Json(current?.RoleMappings) != ConfigurationDiff.Json(proposed.RoleMappings))
        {
            await CognitoAsync(Kinds.PoolKind, name, "SetIdentityPoolRoles",
                new { IdentityPoolId = id, Roles = proposed.Roles ?? [], proposed.RoleMappings }, cancellationToken).ConfigureAwait(false);
        }

        var tagsBefore = current?.PrincipalTags ?? [];
        var tagsAfter = proposed.PrincipalTags ?? [];
        foreach (var provider in tagsBefore.Keys.Union(tagsAfter.Keys, StringComparer.Ordinal))
        {
            var map = tagsAfter.GetValueOrDefault(provider);
            if (ConfigurationDiff.Json(tagsBefore.GetValueOrDefault(provider)) != ConfigurationDiff.Json(map))
            {
                await CognitoAsync(Kinds.PoolKind, name, "SetPrincipalTagAttributeMap", new
                {
                    IdentityPoolId = id,
                    IdentityProviderName = provider,
                    UseDefaults = map?.UseDefaults ?? false,
                    PrincipalTags = map?.PrincipalTags ?? [],
                }, cancellationToken).ConfigureAwait(false);
            }
        }

        if (ConfigurationDiff.Json(current?.ExpressionRules) != ConfigurationDiff.Json(proposed.ExpressionRules))
        {
            await RulesAsync(name, id, proposed.ExpressionRules ?? [], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The expression rules' write, as <c>PUT /admin/api/pools/{id}/rules</c> makes it.</summary>
    private async Task RulesAsync(string name, string poolId, List<ExpressionRuleDocument> rules, CancellationToken cancellationToken)
    {
        var set = await sandbox.GetRequiredService<ExpressionRuleOperations>().SetAsync(poolId, [.. rules.Select(r => new ExpressionRule
        {
            Condition = r.Condition,
            Role = r.Role,
            Tags = r.Tags,
            SessionPolicy = r.SessionPolicy,
            DurationSeconds = r.DurationSeconds,
        })], cancellationToken).ConfigureAwait(false);
        if (!set.IsSuccess)
        {
            _problems.Add(new ConfigurationProblem(Kinds.PoolKind, name, set.Error!.Type, set.Error.Message));
        }
    }

    private static bool SettingsDiffer(PoolDocument current, PoolDocument proposed) =>
        ConfigurationDiff.Json(Settings(current, current.IdentityPoolId)) != ConfigurationDiff.Json(Settings(proposed, current.IdentityPoolId));

    /// <summary>CreateIdentityPool's input, or (with the id) the IdentityPool shape UpdateIdentityPool takes.</summary>
    private static Dictionary<string, object?> Settings(PoolDocument pool, string? id) => new()
    {
        ["IdentityPoolId"] = id,
        ["IdentityPoolName"] = pool.IdentityPoolName,
        ["AllowUnauthenticatedIdentities"] = pool.AllowUnauthenticatedIdentities,
        ["AllowClassicFlow"] = pool.AllowClassicFlow,
        ["SupportedLoginProviders"] = pool.SupportedLoginProviders,
        ["DeveloperProviderName"] = pool.DeveloperProviderName,
        ["OpenIdConnectProviderARNs"] = pool.OpenIdConnectProviderARNs,
        ["CognitoIdentityProviders"] = pool.CognitoIdentityProviders,
        ["SamlProviderARNs"] = pool.SamlProviderARNs,
        ["IdentityPoolTags"] = pool.IdentityPoolTags,
    };

    /// <summary>One Cognito Identity operation through its handler; its reply's JSON, or null (a problem recorded) when refused.</summary>
    private Task<JsonElement?> CognitoAsync(string kind, string name, string operation, object input, CancellationToken cancellationToken) =>
        JsonAsync(kind, name, $"AWSCognitoIdentityService.{operation}",
            sandbox.GetRequiredService<CognitoOperations>().Find(operation) ?? throw new InvalidOperationException($"The Cognito operation {operation} is not registered."),
            input, cancellationToken);

    /// <summary>One Cognito User Pools operation through its handler; its reply's JSON, or null (a problem recorded) when refused.</summary>
    private Task<JsonElement?> UserPoolsAsync(string kind, string name, string operation, object input, CancellationToken cancellationToken) =>
        JsonAsync(kind, name, UserPoolsEndpoint.TargetPrefix + operation,
            sandbox.GetRequiredService<UserPoolsOperations>().Find(operation) ?? throw new InvalidOperationException($"The user-pool operation {operation} is not registered."),
            input, cancellationToken);

    private async Task<JsonElement?> JsonAsync(string kind, string name, string target, CognitoOperation handler, object input, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(input, input.GetType(), Wire);
        var request = new SignedRequest("POST", "/", string.Empty, [new("X-Amz-Target", target)], body);
        var verified = new VerifiedCall(sandbox.GetRequiredService<ICallerAuthorizer>(), Operator, request, SignatureDialect.Json);
        var response = await handler.Handle(request, verified, RequestId, cancellationToken).ConfigureAwait(false);
        using var reply = JsonDocument.Parse(response.Body.IsEmpty ? "{}"u8.ToArray() : response.Body);
        if (response.ErrorType is { } error)
        {
            var message = reply.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
            _problems.Add(new ConfigurationProblem(kind, name, error, message));
            return null;
        }

        return reply.RootElement.Clone();
    }

    /// <summary>One IAM action through its Query handler; false (a problem recorded) when refused.</summary>
    private async Task<bool> IamAsync<THandler>(string kind, string name, string action, Dictionary<string, string> parameters, CancellationToken cancellationToken)
        where THandler : IQueryActionHandler
    {
        var handler = sandbox.GetRequiredService<THandler>();
        var raw = new SignedRequest("POST", "/", string.Empty, [], ReadOnlyMemory<byte>.Empty);
        var response = await handler.HandleAsync(action, new QueryRequest(parameters, raw, RequestId, Operator), cancellationToken).ConfigureAwait(false);
        if (response.ErrorType is null && response.StatusCode < 400)
        {
            return true;
        }

        var error = XDocument.Parse(System.Text.Encoding.UTF8.GetString(response.Body.Span)).Descendants().Where(e => e.Name.LocalName == "Error").FirstOrDefault();
        string Field(string element) => error?.Elements().FirstOrDefault(e => e.Name.LocalName == element)?.Value ?? string.Empty;
        _problems.Add(new ConfigurationProblem(kind, name, Field("Code"), Field("Message")));
        return false;
    }

    private void TagsFixed(string kind, string name) =>
        _problems.Add(new ConfigurationProblem(kind, name, "InvalidInput",
            "The broker serves no IAM tagging action for providers, so their Tags are set when created; delete the provider and create it with the new tags."));

    private static void Put(Dictionary<string, string> parameters, string name, string? value)
    {
        if (value is not null)
        {
            parameters[name] = value;
        }
    }

    private static void Members(Dictionary<string, string> parameters, string name, List<string>? values)
    {
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            parameters[$"{name}.member.{i + 1}"] = values![i];
        }
    }

    private static void Tags(Dictionary<string, string> parameters, Dictionary<string, string>? tags)
    {
        var i = 1;
        foreach (var (key, value) in tags ?? [])
        {
            parameters[$"Tags.member.{i}.Key"] = key;
            parameters[$"Tags.member.{i}.Value"] = value;
            i++;
        }
    }
}
