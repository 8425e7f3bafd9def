using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityBroker.Audit;
using IdentityBroker.Errors;
using IdentityBroker.Iam;
using IdentityBroker.Mapping;
using IdentityBroker.Mapping.Expressions;
using IdentityBroker.Mapping.Replay;
using IdentityBroker.Pools;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Server.Admin;
using IdentityBroker.Storage;
using IdentityBroker.Validation;

namespace IdentityBroker.Server.Console;

/// <summary>What the identity-pools list shows: the pools, the IAM providers a new pool can federate, and a refused create.</summary>
public sealed record PoolsModel(
    ConsoleCall Call, IReadOnlyList<IdentityPool> Pools, IReadOnlyList<OidcProvider> Oidc, IReadOnlyList<SamlProvider> Saml, string? Error);

/// <summary>The simulator's inputs as typed, shown again with the result.</summary>
public sealed record SimulationInput(string Provider, string Claims, string Login, string Recent, string Action, string Resource)
{
    public static readonly SimulationInput Empty = new("", "", "", "", "", "");
}

/// <summary>
/// A pool page: the settings editor, the role-mapping editor, the expression-rule editor (each with its placed errors, or the
/// diff under review) and the simulator.
/// </summary>
public sealed record PoolModel(ConsoleCall Call, IdentityPool Pool, RoleMappingForm Editor, IReadOnlyList<string> ProviderKeys, IReadOnlyList<(string Provider, string Subject)> RecentLogins)
{
    public (string Field, string Message)? EditorError { get; init; }

    public IReadOnlyList<DiffLine>? Diff { get; init; }

    /// <summary>What was just saved: <c>roles</c>, <c>settings</c> or <c>rules</c>; null otherwise.</summary>
    public string? Saved { get; init; }

    public PoolSettingsForm Settings { get; init; } = PoolSettingsForm.FromPool(Pool);

    /// <summary>The IAM providers the settings can federate (checkboxes), with the pool's own ARNs.</summary>
    public IReadOnlyList<OidcProvider> OidcProviders { get; init; } = [];

    public IReadOnlyList<SamlProvider> SamlProviders { get; init; } = [];

    public (string Field, string Message)? SettingsError { get; init; }

    public IReadOnlyList<DiffLine>? SettingsDiff { get; init; }

    public ExpressionRulesForm Expressions { get; init; } = ExpressionRulesForm.FromRules(Pool.ExpressionRules).WithBlankRows();

    /// <summary>Every problem of the proposed expression rules, each at its field.</summary>
    public IReadOnlyList<(string Field, string Message)> ExpressionErrors { get; init; } = [];

    public IReadOnlyList<DiffLine>? ExpressionDiff { get; init; }

    /// <summary>The what-if replay of the proposed expression rules over the pool's recent decisions (shown before saving).</summary>
    public ReplayResult? Replay { get; init; }

    public DateTimeOffset ReplayFrom { get; init; }

    public string? ReplayError { get; init; }

    public string? SettingsErrorAt(string field) => SettingsError is { } e && e.Field == field ? e.Message : null;

    public IReadOnlyList<string> ExpressionErrorsAt(string field) => [.. ExpressionErrors.Where(e => e.Field == field).Select(e => e.Message)];

    public SimulationInput Simulation { get; init; } = SimulationInput.Empty;

    public SimulationResult? SimulationResult { get; init; }

    /// <summary>The simulator's whole answer as the admin API writes it, shown as a tree.</summary>
    public JsonElement? SimulationJson { get; init; }

    public string? SimulationError { get; init; }

    public string? ErrorAt(string field) => EditorError is { } e && e.Field == field ? e.Message : null;
}

/// <summary>
/// Identity pools: the list and create form, a pool's page, the role-mapping editor's review and save (the same
/// validation and <see cref="PoolRoleOperations"/> checks as SetIdentityPoolRoles) and the simulator (<see cref="RuleSimulator"/>).
/// </summary>
internal static class PoolPages
{
    private const int PoolPage = 60;

    public static async Task<IResult> ListAsync(HttpContext http, IPoolStore pools, IIamStore iam, ISamlProviderStore saml) =>
        await ListPageAsync(ConsoleCall.Of(http), pools, iam, saml, null);

    public static async Task<IResult> CreateAsync(
        HttpContext http, PoolOperations operations, IPoolStore pools, IIamStore iam, ISamlProviderStore saml, ConsoleAudit audit)
    {
        var call = ConsoleCall.Of(http);
        var started = audit.Start();
        var request = new CreateIdentityPoolRequest
        {
            IdentityPoolName = call.Field("name"),
            AllowUnauthenticatedIdentities = call.Field("allowGuests") == "on",
            AllowClassicFlow = call.Field("classicFlow") == "on",
            DeveloperProviderName = call.Field("developerProvider"),
            OpenIdConnectProviderARNs = Values(call, "oidc"),
            SamlProviderARNs = Values(call, "saml"),
            SupportedLoginProviders = LoginProviders(call.Field("supported")),
        };
        var created = RequestValidation.Validate(request) is { } invalid
            ? Result<IdentityPool>.Fail(invalid)
            : await operations.CreateAsync(CognitoBinding.CreateIdentityPool(request), call.Aborted);
        await audit.RecordAsync(call, ConsoleWrite.Of("CreateIdentityPool", request, ConsoleJsonContext.Default.CreateIdentityPoolRequest, started) with
        {
            IdentityPoolId = created.IsSuccess ? created.Value.IdentityPoolId : null,
        }, created.Error);
        return created.IsSuccess
            ? Results.Redirect(PoolPath(created.Value.IdentityPoolId))
            : await ListPageAsync(call, pools, iam, saml, created.Error!.Message);
    }

    public static async Task<IResult> ShowAsync(HttpContext http, string id)
    {
        var call = ConsoleCall.Of(http);
        if (await ModelAsync(call, id) is not { } model)
        {
            return NotFound(id);
        }

        return Page(model with { Saved = call.Query("saved") is "roles" or "settings" or "rules" ? call.Query("saved") : null });
    }

    /// <summary>"Review changes" checks and shows the diff; "Save" checks again and writes. Either way an error is shown at its field.</summary>
    public static async Task<IResult> RolesAsync(HttpContext http, string id, PoolRoleOperations roles, ConsoleAudit audit)
    {
        var call = ConsoleCall.Of(http);
        if (await ModelAsync(call, id) is not { } model)
        {
            return NotFound(id);
        }

        var started = audit.Start();
        var form = RoleMappingForm.Read(call.Field);
        var request = form.ToRequest(model.Pool.IdentityPoolId);
        var command = CognitoBinding.SetIdentityPoolRoles(request);
        var save = call.Field("action") == "save";
        var outcome = RequestValidation.Validate(request) is { } invalid ? invalid
            : save ? (await roles.SetAsync(command, call.Aborted)).Error
            : (await roles.CheckAsync(command, call.Aborted)).Error;
        if (save)
        {
            await audit.RecordAsync(call, ConsoleWrite.Of("SetIdentityPoolRoles", request, ConsoleJsonContext.Default.SetIdentityPoolRolesRequest, started) with
            {
                IdentityPoolId = model.Pool.IdentityPoolId,
            }, outcome);
        }

        if (outcome is { } error)
        {
            return Page(model with { Editor = form.WithBlankRows(), EditorError = form.Place(error) });
        }

        if (save)
        {
            return Results.Redirect(PoolPath(id) + "?saved=roles#roles");
        }

        var before = RoleMappingForm.Document(model.Pool.Roles, model.Pool.RoleMappings);
        var after = RoleMappingForm.Document(command.Roles, command.RoleMappings);
        return Page(model with { Editor = form.WithBlankRows(), Diff = LineDiff.Compare(before, after) });
    }

    /// <summary>"Review settings" checks the UpdateIdentityPool request and shows the diff; "Save settings" checks again and writes.</summary>
    public static async Task<IResult> SettingsAsync(HttpContext http, string id, PoolOperations operations, ConsoleAudit audit)
    {
        var call = ConsoleCall.Of(http);
        if (await ModelAsync(call, id) is not { } model)
        {
            return NotFound(id);
        }

        var started = audit.Start();
        var form = PoolSettingsForm.Read(call);
        var request = form.ToRequest(model.Pool.IdentityPoolId, model.Pool.IdentityPoolTags);
        var save = call.Field("action") == "save";
        var outcome = RequestValidation.Validate(request) is { } invalid ? invalid
            : save ? (await operations.UpdateAsync(CognitoBinding.UpdateIdentityPool(request), call.Aborted)).Error
            : (await operations.CheckUpdateAsync(CognitoBinding.UpdateIdentityPool(request), call.Aborted)).Error;
        if (save)
        {
            await audit.RecordAsync(call, ConsoleWrite.Of("UpdateIdentityPool", request, ConsoleJsonContext.Default.IdentityPoolShape, started) with
            {
                IdentityPoolId = model.Pool.IdentityPoolId,
            }, outcome);
        }

        if (outcome is { } error)
        {
            return Page(model with { Settings = form, SettingsError = PoolSettingsForm.Place(error) });
        }

        if (save)
        {
            return Results.Redirect(PoolPath(id) + "?saved=settings#settings");
        }

        var before = PoolSettingsForm.Document(PoolSettingsForm.FromPool(model.Pool).ToRequest(model.Pool.IdentityPoolId, model.Pool.IdentityPoolTags));
        return Page(model with { Settings = form, SettingsDiff = LineDiff.Compare(before, PoolSettingsForm.Document(request)) });
    }

    /// <summary>
    /// "Review rules" runs the write-time checks of <c>PUT /admin/api/pools/{id}/rules</c> (compiler, types, cost, trust) with
    /// every message at its field, then shows the diff and the what-if replay of the pool's last week of decisions; "Save
    /// rules" writes through <see cref="ExpressionRuleOperations"/>, which checks again.
    /// </summary>
    public static async Task<IResult> ExpressionRulesAsync(
        HttpContext http, string id, ExpressionRuleOperations operations, RoleTrustCheck trust, DecisionReplay replay, TimeProvider time, ConsoleAudit audit)
    {
        var call = ConsoleCall.Of(http);
        if (await ModelAsync(call, id) is not { } model)
        {
            return NotFound(id);
        }

        var started = audit.Start();
        var form = ExpressionRulesForm.Read(call.Field);
        var shown = model with { Expressions = form.WithBlankRows() };
        var (rules, unreadable) = form.ToRules();
        if (rules is null)
        {
            return Page(shown with { ExpressionErrors = [unreadable!.Value] });
        }

        if (call.Field("action") == "save")
        {
            var saved = await operations.SetAsync(model.Pool.IdentityPoolId, rules, call.Aborted);
            await audit.RecordAsync(call, new ConsoleWrite(ConsoleAudit.CognitoIdentity, "SetIdentityPoolExpressionRules",
                ExpressionRulesRequest(model.Pool.IdentityPoolId, rules), started) { IdentityPoolId = model.Pool.IdentityPoolId }, saved.Error);
            return saved.IsSuccess
                ? Results.Redirect(PoolPath(id) + "?saved=rules#expressions")
                : Page(shown with { ExpressionErrors = [ExpressionRulesForm.Place(saved.Error!.Message)] });
        }

        var problems = await ExpressionProblemsAsync(model.Pool with { ExpressionRules = rules.Count == 0 ? null : rules }, rules, trust, call.Aborted);
        if (problems.Count > 0)
        {
            return Page(shown with { ExpressionErrors = [.. problems.Select(ExpressionRulesForm.Place)] });
        }

        var before = Readable(ExpressionRulesJson.WriteRules(model.Pool.ExpressionRules ?? []));
        var after = Readable(ExpressionRulesJson.WriteRules(rules));
        var now = time.GetUtcNow();
        var from = now - ReplayWindow;
        var replayed = await replay.ReplayAsync(new ReplayRequest(model.Pool.IdentityPoolId, rules, null, from, now), call.Aborted);
        return Page(shown with
        {
            ExpressionDiff = LineDiff.Compare(before, after),
            Replay = replayed.IsSuccess ? replayed.Value : null,
            ReplayError = replayed.Error?.Message,
            ReplayFrom = from,
        });
    }

    /// <summary>The window the console replays before saving: the replay API's default.</summary>
    internal static readonly TimeSpan ReplayWindow = TimeSpan.FromDays(7);

    /// <summary>
    /// The checks <see cref="ExpressionRuleOperations.SetAsync"/> makes before it writes, each problem on its own (the save joins
    /// them into one error): the compiler's, then the trust check of each rule whose Role is a literal ARN.
    /// </summary>
    private static async Task<IReadOnlyList<string>> ExpressionProblemsAsync(
        IdentityPool proposed, IReadOnlyList<ExpressionRule> rules, RoleTrustCheck trust, CancellationToken cancellationToken)
    {
        var (_, problems) = ExpressionRuleCompiler.Compile(rules);
        if (problems.Count > 0)
        {
            return problems;
        }

        var found = new List<string>();
        foreach (var use in await trust.ExpressionRuleUsesAsync(proposed, cancellationToken))
        {
            if (await trust.ProblemAsync(proposed, use, cancellationToken) is { } problem)
            {
                found.Add(problem);
            }
        }

        return found;
    }

    /// <summary>
    /// The rules' JSON as the operator wrote them: quotes and <c>&amp;&amp;</c> unescaped (the diff is HTML-encoded when the
    /// page is rendered, so nothing in it is markup).
    /// </summary>
    private static string Readable(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.RootElement.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The audit record's request: the pool id and the rules, as <c>PUT /admin/api/pools/{id}/rules</c> takes them.</summary>
    private static byte[] ExpressionRulesRequest(string poolId, IReadOnlyList<ExpressionRule> rules)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(ExpressionRulesJson.WriteRules(rules))!.AsObject();
        body.Insert(0, "IdentityPoolId", poolId);
        return System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    public static async Task<IResult> SimulateAsync(HttpContext http, string id, RuleSimulator simulator)
    {
        var call = ConsoleCall.Of(http);
        if (await ModelAsync(call, id) is not { } model)
        {
            return NotFound(id);
        }

        var input = new SimulationInput(call.Field("provider") ?? "", call.Field("claims") ?? "", call.Field("login") ?? "", call.Field("recent") ?? "",
            call.Field("action") ?? "", call.Field("resource") ?? "");
        model = model with { Simulation = input };
        var request = SimulationRequestOf(model.Pool.IdentityPoolId, input);
        if (!request.IsSuccess)
        {
            return Page(model with { SimulationError = request.Error!.Message });
        }

        var outcome = await simulator.SimulateAsync(request.Value, call.Aborted);
        if (outcome.Result is not { } result)
        {
            return Page(model with { SimulationError = outcome.Error!.Message });
        }

        using var json = JsonDocument.Parse(Admin.SimulationJson.WriteResult(result));
        return Page(model with { SimulationResult = result, SimulationJson = json.RootElement.Clone() });
    }

    /// <summary>
    /// Pasted claims (a JSON object of the chosen provider's claims), a pasted login token (validated for real), or a recent
    /// login (its provider and subject as the <c>sub</c> claim); nothing at all simulates a guest.
    /// </summary>
    internal static Result<SimulationRequest> SimulationRequestOf(string poolId, SimulationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        IReadOnlyList<SimulatedAction> actions = input.Action.Length > 0 && input.Resource.Length > 0 ? [new SimulatedAction(input.Action, input.Resource)] : [];
        if (input.Login.Length > 0)
        {
            return input.Provider.Length == 0
                ? Admin.SimulationJson.Invalid("Choose the provider the login token is from.")
                : new SimulationRequest(poolId, new Dictionary<string, string> { [input.Provider] = input.Login }, null, null, null, actions);
        }

        JsonObject claims;
        string provider;
        if (input.Recent.IndexOf(' ', StringComparison.Ordinal) is > 0 and var space)
        {
            // A recent login's value is "<Logins key> <subject>": Logins keys have no spaces.
            provider = input.Recent[..space];
            claims = new JsonObject { ["sub"] = input.Recent[(space + 1)..] };
        }
        else if (input.Claims.Length > 0)
        {
            provider = input.Provider;
            try
            {
                if (JsonNode.Parse(input.Claims, documentOptions: new JsonDocumentOptions { MaxDepth = 8 }) is not JsonObject pasted)
                {
                    return Admin.SimulationJson.Invalid("The claims must be a JSON object, e.g. {\"dept\": \"engineering\"}.");
                }

                claims = pasted;
            }
            catch (JsonException)
            {
                return Admin.SimulationJson.Invalid("The claims are not valid JSON.");
            }

            if (provider.Length == 0)
            {
                return Admin.SimulationJson.Invalid("Choose the provider the claims are from.");
            }
        }
        else
        {
            return new SimulationRequest(poolId, null, null, null, null, actions);
        }

        using var document = JsonDocument.Parse(new JsonObject { [provider] = claims }.ToJsonString());
        var read = Admin.SimulationJson.ReadClaims(document.RootElement);
        return read.IsSuccess ? Admin.SimulationJson.WithClaims(poolId, read.Value, null, null, actions) : read.Error!;
    }

    internal static string PoolPath(string poolId) => "/console/pools/" + Uri.EscapeDataString(poolId);

    private static async Task<PoolModel?> ModelAsync(ConsoleCall call, string id)
    {
        var services = call.Http.RequestServices;
        if (id.Length > 55 || await services.GetRequiredService<IPoolStore>().GetPoolAsync(id, call.Aborted) is not { } pool)
        {
            return null;
        }

        var keys = await services.GetRequiredService<ConfiguredProviders>().LoginKeysAsync(pool, call.Aborted);
        var recent = await RecentLoginsAsync(services.GetRequiredService<IAuditStore>(), services.GetRequiredService<TimeProvider>(), pool.IdentityPoolId, call.Aborted);
        return new PoolModel(call, pool, RoleMappingForm.FromPool(pool, keys).WithBlankRows(), keys, recent)
        {
            OidcProviders = await services.GetRequiredService<IIamStore>().ListOidcProvidersAsync(call.Aborted),
            SamlProviders = await services.GetRequiredService<ISamlProviderStore>().ListSamlProvidersAsync(call.Aborted),
        };
    }

    /// <summary>The logins of the pool's latest credential decisions in the audit trail (the last day), newest first.</summary>
    private static async Task<IReadOnlyList<(string, string)>> RecentLoginsAsync(IAuditStore audit, TimeProvider time, string poolId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var page = await audit.LookupAuditAsync(new AuditQuery(now.AddDays(-1), now, AuditAttribute.ResourceName, poolId, 50, null), cancellationToken);
        var logins = new List<(string, string)>();
        foreach (var record in page.Events)
        {
            if (AuditView.Decision(record) is { } decision && decision.TryGetProperty("logins", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                logins.AddRange(list.EnumerateArray()
                    .Where(l => l.ValueKind == JsonValueKind.Object && l.TryGetProperty("provider", out _) && l.TryGetProperty("subject", out _))
                    .Select(l => (l.GetProperty("provider").GetString() ?? "", l.GetProperty("subject").GetString() ?? "")));
            }
        }

        return [.. logins.Distinct().Take(10)];
    }

    private static async Task<IResult> ListPageAsync(ConsoleCall call, IPoolStore pools, IIamStore iam, ISamlProviderStore saml, string? error)
    {
        var all = new List<IdentityPool>();
        string? next = null;
        do
        {
            var page = await pools.ListPoolsAsync(PoolPage, next, call.Aborted);
            all.AddRange(page.Items);
            next = page.NextToken;
        }
        while (next is not null);
        var model = new PoolsModel(call, all, await iam.ListOidcProvidersAsync(call.Aborted), await saml.ListSamlProvidersAsync(call.Aborted), error);
        return ConsoleEndpoints.Page<PoolsView>(new { Model = model });
    }

    /// <summary>A form shown again with its error answers 200, as a page: Chromium reports any 4xx document as a console error.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<PoolView> Page(PoolModel model) => ConsoleEndpoints.Page<PoolView>(new { Model = model });

    private static IResult NotFound(string id) =>
        ConsoleEndpoints.Message("Not found", $"There is no identity pool {id}.", StatusCodes.Status404NotFound);

    private static List<string>? Values(ConsoleCall call, string name) =>
        call.Form.TryGetValue(name, out var values) && values.Count > 0 ? [.. values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim())] : null;

    /// <summary>"accounts.google.com=client-id" lines: SupportedLoginProviders.</summary>
    private static Dictionary<string, string>? LoginProviders(string? text)
    {
        var lines = (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            map[eq < 0 ? line : line[..eq].Trim()] = eq < 0 ? "" : line[(eq + 1)..].Trim();
        }

        return map.Count > 0 ? map : null;
    }
}
