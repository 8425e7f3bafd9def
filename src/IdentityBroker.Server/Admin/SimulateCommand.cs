using System.Text;
using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Mapping;

namespace IdentityBroker.Server.Admin;

/// <summary>
/// <c>simulate --pool &lt;id&gt; (--claims &lt;file&gt; | --logins &lt;file&gt;) [--custom-role-arn &lt;arn&gt;] [--identity-id &lt;id&gt;]
/// [--action &lt;a&gt; --resource &lt;arn&gt;]...</c>: the admin simulator against the configured store, without starting the
/// HTTP server. Other <c>--Broker:Key value</c> arguments are configuration, as for the server. Prints the same JSON as
/// <c>POST /admin/api/simulate</c>. Exit codes: 0 simulated, 1 the simulation could not run, 2 usage.
/// </summary>
public static class SimulateCommand
{
    public const string Name = "simulate";

    private const string Usage =
        "usage: simulate --pool <id> [--claims <file> | --logins <file>] [--custom-role-arn <arn>] [--identity-id <id>] [--action <action> --resource <arn>]...";

    public static async Task<int> RunAsync(string[] args, TextWriter output, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var parsed = Parse(args);
        if (parsed.Error is { } usage)
        {
            await output.WriteLineAsync($"{usage}\n{Usage}");
            return 2;
        }

        var request = await BuildRequestAsync(parsed);
        if (!request.IsSuccess)
        {
            await output.WriteLineAsync(Encoding.UTF8.GetString(SimulationJson.WriteError(request.Error!)));
            return 1;
        }

        // The host is built for its services only; it is never started, so nothing listens.
        await using var app = BrokerApp.Build([.. parsed.Configuration], configure);
        var outcome = await app.Services.GetRequiredService<RuleSimulator>().SimulateAsync(request.Value, CancellationToken.None);
        var body = outcome.Result is { } result ? SimulationJson.WriteResult(result) : SimulationJson.WriteError(outcome.Error!);
        await output.WriteLineAsync(Encoding.UTF8.GetString(body));
        return outcome.Result is null ? 1 : 0;
    }

    private static async Task<Result<SimulationRequest>> BuildRequestAsync(Arguments parsed)
    {
        SimulatedClaims? claims = null;
        IReadOnlyDictionary<string, string>? logins = null;
        try
        {
            if (parsed.ClaimsFile is { } claimsFile)
            {
                using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(claimsFile));
                var read = SimulationJson.ReadClaims(json.RootElement);
                if (!read.IsSuccess)
                {
                    return read.Error!;
                }

                claims = read.Value;
            }

            if (parsed.LoginsFile is { } loginsFile)
            {
                using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(loginsFile));
                logins = json.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                    .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            }
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or InvalidOperationException)
        {
            return SimulationJson.Invalid($"Cannot read the claims or logins file: {e.Message}");
        }

        return claims is null
            ? new SimulationRequest(parsed.Pool!, logins, null, parsed.CustomRoleArn, parsed.IdentityId, parsed.Actions)
            : SimulationJson.WithClaims(parsed.Pool!, claims, parsed.CustomRoleArn, parsed.IdentityId, parsed.Actions) with { Logins = logins };
    }

    private static Arguments Parse(string[] args)
    {
        var a = new Arguments();
        string? pendingAction = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                return a with { Error = $"{name} needs a value" };
            }

            var value = args[++i];
            switch (name)
            {
                case "--pool": a = a with { Pool = value }; break;
                case "--claims": a = a with { ClaimsFile = value }; break;
                case "--logins": a = a with { LoginsFile = value }; break;
                case "--custom-role-arn": a = a with { CustomRoleArn = value }; break;
                case "--identity-id": a = a with { IdentityId = value }; break;
                case "--action" when pendingAction is null: pendingAction = value; break;
                case "--resource" when pendingAction is not null:
                    a.Actions.Add(new SimulatedAction(pendingAction, value));
                    pendingAction = null;
                    break;
                case "--action" or "--resource": return a with { Error = "--action and --resource come in pairs, action first" };
                default:
                    if (!name.StartsWith("--", StringComparison.Ordinal))
                    {
                        return a with { Error = $"unexpected argument '{name}'" };
                    }

                    a.Configuration.Add(name);
                    a.Configuration.Add(value);
                    break;
            }
        }

        return pendingAction is not null ? a with { Error = "--action needs a --resource" }
            : a.Pool is null ? a with { Error = "--pool is required" }
            : a.ClaimsFile is not null && a.LoginsFile is not null ? a with { Error = "give --claims or --logins, not both" }
            : a;
    }

    private sealed record Arguments
    {
        public string? Pool { get; init; }

        public string? ClaimsFile { get; init; }

        public string? LoginsFile { get; init; }

        public string? CustomRoleArn { get; init; }

        public string? IdentityId { get; init; }

        public List<SimulatedAction> Actions { get; } = [];

        public List<string> Configuration { get; } = [];

        public string? Error { get; init; }
    }
}
