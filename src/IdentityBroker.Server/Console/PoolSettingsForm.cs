using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Server.Console;

/// <summary>
/// The pool settings form (docs/console.md, "Pool settings"): UpdateIdentityPool's members. It becomes the same
/// <see cref="IdentityPoolShape"/> the API takes (replace semantics; the pool's tags are kept, as the console does not edit
/// them), so the same model validation and <see cref="PoolOperations.CheckUpdateAsync"/> checks judge it, and
/// <see cref="Place"/> puts their message at the field it is about. Social providers are <c>provider=app id</c> lines; user
/// pool providers are <c>provider-name client-id [check]</c> lines (<c>check</c>: ServerSideTokenCheck).
/// </summary>
public sealed record PoolSettingsForm(
    string Name, bool Guests, bool Classic, string Supported, string UserPools, string Developer, IReadOnlyList<string> Oidc, IReadOnlyList<string> Saml)
{
    public const string Prefix = "settings.";
    public const string FormField = Prefix + "form";
    public const string ServerSideCheck = "check";

    private static readonly (string Member, string Field)[] Members =
    [
        ("identityPoolName", "name"), ("allowUnauthenticatedIdentities", "guests"), ("allowClassicFlow", "classic"),
        ("supportedLoginProviders", "supported"), ("developerProviderName", "developer"), ("openIdConnectProviderARN", "oidc"),
        ("cognitoIdentityProvider", "userpools"), ("samlProviderARN", "saml"),
    ];

    public static PoolSettingsForm FromPool(IdentityPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new PoolSettingsForm(
            pool.IdentityPoolName,
            pool.AllowUnauthenticatedIdentities,
            pool.AllowClassicFlow == true,
            string.Join('\n', (pool.SupportedLoginProviders ?? new Dictionary<string, string>()).Select(p => $"{p.Key}={p.Value}")),
            string.Join('\n', (pool.CognitoIdentityProviders ?? []).Select(p =>
                $"{p.ProviderName} {p.ClientId}{(p.ServerSideTokenCheck == true ? " " + ServerSideCheck : "")}")),
            pool.DeveloperProviderName ?? "",
            pool.OpenIdConnectProviderARNs ?? [],
            pool.SamlProviderARNs ?? []);
    }

    public static PoolSettingsForm Read(ConsoleCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new PoolSettingsForm(
            call.Field(Prefix + "name") ?? "",
            call.Field(Prefix + "guests") == "on",
            call.Field(Prefix + "classic") == "on",
            call.Field(Prefix + "supported") ?? "",
            call.Field(Prefix + "userpools") ?? "",
            call.Field(Prefix + "developer") ?? "",
            Values(call, Prefix + "oidc"),
            Values(call, Prefix + "saml"));
    }

    /// <summary>The UpdateIdentityPool request this form stands for; <paramref name="tags"/> are the pool's, kept as they are.</summary>
    public IdentityPoolShape ToRequest(string identityPoolId, IReadOnlyDictionary<string, string>? tags) => new()
    {
        IdentityPoolId = identityPoolId,
        IdentityPoolName = Name,
        AllowUnauthenticatedIdentities = Guests,
        AllowClassicFlow = Classic,
        SupportedLoginProviders = Lines(Supported, '=') is { Count: > 0 } social ? social.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal) : null,
        DeveloperProviderName = Developer.Length > 0 ? Developer : null,
        OpenIdConnectProviderARNs = Oidc.Count > 0 ? [.. Oidc] : null,
        CognitoIdentityProviders = UserPoolProviders() is { Count: > 0 } providers ? providers : null,
        SamlProviderARNs = Saml.Count > 0 ? [.. Saml] : null,
        IdentityPoolTags = tags is { Count: > 0 } ? new Dictionary<string, string>(tags, StringComparer.Ordinal) : null,
    };

    /// <summary>The field (<c>settings.name</c>, …) a validation or check message is about, by the member it names; else the form.</summary>
    public static (string Field, string Message) Place(AwsError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var (member, field) in Members)
        {
            if (error.Message.Contains(member, StringComparison.OrdinalIgnoreCase))
            {
                return (Prefix + field, error.Message);
            }
        }

        return error.Message.Contains("OpenID Connect provider", StringComparison.Ordinal) ? (Prefix + "oidc", error.Message)
            : error.Message.Contains("SAML", StringComparison.Ordinal) ? (Prefix + "saml", error.Message)
            : (FormField, error.Message);
    }

    /// <summary>The settings as UpdateIdentityPool's JSON, indented: the two sides of the diff shown before saving.</summary>
    public static string Document(IdentityPoolShape shape) =>
        System.Text.Encoding.UTF8.GetString(ReplyJson.Serialize(shape, ConsoleJsonContext.Default.IdentityPoolShape, indented: true));

    private List<CognitoIdentityProvider> UserPoolProviders() =>
        [.. UserPools.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(UserPoolProvider)];

    private static CognitoIdentityProvider UserPoolProvider(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new CognitoIdentityProvider
        {
            ProviderName = parts[0],
            ClientId = parts.Length > 1 ? parts[1] : null,
            ServerSideTokenCheck = parts.Length > 2 && parts[2] == ServerSideCheck,
        };
    }

    private static List<KeyValuePair<string, string>> Lines(string text, char separator) =>
    [
        .. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
            line.IndexOf(separator, StringComparison.Ordinal) is var at and >= 0
                ? new KeyValuePair<string, string>(line[..at].Trim(), line[(at + 1)..].Trim())
                : new KeyValuePair<string, string>(line, "")),
    ];

    private static List<string> Values(ConsoleCall call, string name) =>
        call.Form.TryGetValue(name, out var values) ? [.. values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim())] : [];
}
