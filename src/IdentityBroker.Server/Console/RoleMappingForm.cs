using System.Text.Json.Serialization;
using IdentityBroker.Errors;
using IdentityBroker.Mapping;
using IdentityBroker.Pools;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Server.Console;

/// <summary>One row of a Rules mapping as the editor shows it (empty strings for empty fields).</summary>
public sealed record RuleRow(string Claim, string MatchType, string Value, string RoleArn)
{
    public static readonly RuleRow Blank = new(string.Empty, string.Empty, string.Empty, string.Empty);

    public bool IsBlank => Claim.Length == 0 && Value.Length == 0 && RoleArn.Length == 0;
}

/// <summary>One provider's mapping in the editor: its Logins key, the Type (empty for none), the ambiguous resolution and its rules.</summary>
public sealed record ProviderRows(string Key, string Type, string Ambiguous, IReadOnlyList<RuleRow> Rules);

/// <summary>
/// The role-mapping editor's form (docs/console.md, "Role mapping"): the pool's default roles and, per provider, a Token or
/// Rules mapping. It becomes the same <see cref="SetIdentityPoolRolesRequest"/> the API takes, so the same model validation
/// and <see cref="PoolRoleOperations"/> checks judge it; <see cref="Place"/> puts their message at the field it is about.
/// Field names: <c>role.authenticated</c>, <c>role.unauthenticated</c>, <c>p{n}.key</c>, <c>p{n}.type</c>,
/// <c>p{n}.ambiguous</c>, <c>p{n}.r{i}.claim|match|value|role</c>.
/// </summary>
public sealed record RoleMappingForm(string AuthenticatedRole, string UnauthenticatedRole, IReadOnlyList<ProviderRows> Providers)
{
    public const string FormField = "form";
    public const string AuthenticatedField = "role.authenticated";
    public const string UnauthenticatedField = "role.unauthenticated";

    /// <summary>Empty rows offered under a provider's rules, to add rules without script.</summary>
    public const int BlankRows = 2;

    private const int MaxProviders = 64;

    public static readonly string[] MatchTypes = ["Equals", "Contains", "StartsWith", "NotEqual"];

    /// <summary>The pool's roles and mappings, with a row for each configured provider that has none.</summary>
    public static RoleMappingForm FromPool(IdentityPool pool, IReadOnlyList<string> providerKeys)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(providerKeys);
        var mappings = pool.RoleMappings ?? new Dictionary<string, RoleMapping>();
        var keys = providerKeys.Concat(mappings.Keys).Distinct(StringComparer.Ordinal).ToList();
        var providers = keys.Select(key => mappings.TryGetValue(key, out var m)
            ? new ProviderRows(key, m.Type ?? string.Empty, m.AmbiguousRoleResolution ?? "AuthenticatedRole",
                [.. (m.RulesConfiguration?.Rules ?? []).Select(r => new RuleRow(r.Claim ?? "", r.MatchType ?? "", r.Value ?? "", r.RoleARN ?? ""))])
            : new ProviderRows(key, string.Empty, "AuthenticatedRole", [])).ToList();
        return new RoleMappingForm(pool.RoleFor(authenticated: true) ?? "", pool.RoleFor(authenticated: false) ?? "", providers);
    }

    /// <summary>The posted form; blank rule rows are dropped, so rule n of the request is row n of the form.</summary>
    public static RoleMappingForm Read(Func<string, string?> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var providers = new List<ProviderRows>();
        for (var p = 0; p < MaxProviders && field($"p{p}.key") is { } key; p++)
        {
            var rules = new List<RuleRow>();
            for (var i = 0; i < PoolRoleOperations.MaxRules + BlankRows + 1; i++)
            {
                var row = new RuleRow(field($"p{p}.r{i}.claim") ?? "", field($"p{p}.r{i}.match") ?? "Equals", field($"p{p}.r{i}.value") ?? "",
                    field($"p{p}.r{i}.role") ?? "");
                if (!row.IsBlank)
                {
                    rules.Add(row);
                }
            }

            providers.Add(new ProviderRows(key, field($"p{p}.type") ?? "", field($"p{p}.ambiguous") ?? "AuthenticatedRole", rules));
        }

        return new RoleMappingForm(field(AuthenticatedField) ?? "", field(UnauthenticatedField) ?? "", providers);
    }

    /// <summary>The SetIdentityPoolRoles request this form stands for.</summary>
    public SetIdentityPoolRolesRequest ToRequest(string identityPoolId)
    {
        var roles = new Dictionary<string, string>(StringComparer.Ordinal);
        if (AuthenticatedRole.Length > 0)
        {
            roles[RoleTypes.Authenticated] = AuthenticatedRole;
        }

        if (UnauthenticatedRole.Length > 0)
        {
            roles[RoleTypes.Unauthenticated] = UnauthenticatedRole;
        }

        var mappings = Providers.Where(p => p.Type.Length > 0).ToDictionary(p => p.Key, p => new RoleMapping
        {
            Type = p.Type,
            AmbiguousRoleResolution = p.Ambiguous,
            RulesConfiguration = p.Type == RoleResolver.RulesType
                ? new RulesConfiguration { Rules = [.. p.Rules.Select(r => new MappingRule { Claim = r.Claim, MatchType = r.MatchType, Value = r.Value, RoleARN = r.RoleArn })] }
                : null,
        }, StringComparer.Ordinal);
        return new SetIdentityPoolRolesRequest { IdentityPoolId = identityPoolId, Roles = roles, RoleMappings = mappings.Count > 0 ? mappings : null };
    }

    /// <summary>The form with <see cref="BlankRows"/> empty rows under each provider's rules (up to the rule quota).</summary>
    public RoleMappingForm WithBlankRows() => this with
    {
        Providers = [.. Providers.Select(p => p with
        {
            Rules = [.. p.Rules, .. Enumerable.Repeat(RuleRow.Blank, Math.Max(0, Math.Min(BlankRows, PoolRoleOperations.MaxRules - p.Rules.Count)))],
        })],
    };

    /// <summary>
    /// The field an error of the model validation or of <see cref="PoolRoleOperations"/> is about: a rule's field when the
    /// message names its path or its place ("rule 2 of the role mapping for …"), a default role, a provider, else the form.
    /// </summary>
    public (string Field, string Message) Place(AwsError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message;
        for (var p = 0; p < Providers.Count; p++)
        {
            var provider = Providers[p];
            for (var i = 0; i < provider.Rules.Count; i++)
            {
                if (RuleField(provider, i, message) is { } part)
                {
                    return ($"p{p}.r{i}.{part}", message);
                }
            }
        }

        if (message.Contains("the pool's authenticated role", StringComparison.Ordinal) || Names(message, AuthenticatedRole))
        {
            return (AuthenticatedField, message);
        }

        if (message.Contains("the pool's unauthenticated role", StringComparison.Ordinal) || Names(message, UnauthenticatedRole))
        {
            return (UnauthenticatedField, message);
        }

        for (var p = 0; p < Providers.Count; p++)
        {
            if (message.Contains(Providers[p].Key, StringComparison.Ordinal))
            {
                return ($"p{p}.type", message);
            }
        }

        return (FormField, message);
    }

    private static string? RuleField(ProviderRows provider, int i, string message)
    {
        var path = $"roleMappings.{provider.Key}.member.rulesConfiguration.rules.{i + 1}.member.";
        foreach (var (member, part) in new[] { ("claim", "claim"), ("matchType", "match"), ("value", "value"), ("roleARN", "role") })
        {
            if (message.Contains(path + member, StringComparison.Ordinal))
            {
                return part;
            }
        }

        var rule = provider.Rules[i];
        return message.Contains($"rule {i + 1} of the role mapping for {provider.Key}", StringComparison.Ordinal) || Names(message, rule.RoleArn)
            ? "role"
            : null;
    }

    /// <summary>"Access to Role '…' is forbidden." names the ARN that is not a role ARN.</summary>
    private static bool Names(string message, string roleArn) =>
        roleArn.Length > 0 && message.StartsWith("Access to Role '", StringComparison.Ordinal) && message.Contains($"'{roleArn}'", StringComparison.Ordinal);

    /// <summary>The roles and mappings as indented JSON, the two sides of the diff shown before saving.</summary>
    public static string Document(IReadOnlyDictionary<string, string>? roles, IReadOnlyDictionary<string, RoleMapping>? mappings) =>
        System.Text.Encoding.UTF8.GetString(ReplyJson.Serialize(new RolesDocument(roles ?? new Dictionary<string, string>(), mappings),
            ConsoleJsonContext.Default.RolesDocument, indented: true));
}

/// <summary>What the diff compares: the Roles and RoleMappings members of SetIdentityPoolRoles.</summary>
internal sealed record RolesDocument(IReadOnlyDictionary<string, string> Roles, IReadOnlyDictionary<string, RoleMapping>? RoleMappings);

/// <summary>The audit record's request of a console disable (the broker's DisableIdentity event).</summary>
internal sealed record DisableIdentityRequest(string IdentityId);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RolesDocument))]
[JsonSerializable(typeof(DisableIdentityRequest))]
[JsonSerializable(typeof(CreateIdentityPoolRequest))]
[JsonSerializable(typeof(IdentityPoolShape))]
[JsonSerializable(typeof(SetIdentityPoolRolesRequest))]
[JsonSerializable(typeof(DeleteIdentitiesRequest))]
internal sealed partial class ConsoleJsonContext : JsonSerializerContext;
