using System.Text;
using System.Text.Json;
using IdentityBroker.Configuration;

namespace IdentityBroker.Server.Configuration;

/// <summary>
/// <c>export|plan|apply --file &lt;path&gt; [--url &lt;broker URL&gt;]</c> (docs/config-as-code.md). Without <c>--url</c> the
/// command works on the configured store (the data directory, or Redis), as the server would, without starting it; other
/// <c>--Broker:Key value</c> arguments are configuration, as for the server. With <c>--url</c> it calls a running broker's
/// admin API, signed with the admin key from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, so plan shows that broker's drift.
/// Exit codes: 0 done (plan: no problem), 1 refused, conflicting or unreachable, 2 usage.
/// </summary>
public static class ConfigurationCommand
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { "export", "plan", "apply" };

    private const string Usage = "usage: export|plan|apply --file <broker.yaml> [--url <broker URL>] [--Broker:Key value]...";

    public static async Task<int> RunAsync(string command, string[] args, TextWriter output, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var (file, url, configuration, error) = Parse(args);
        if (error is not null || file is null || !Names.Contains(command))
        {
            await output.WriteLineAsync($"{error ?? "--file is required."}\n{Usage}");
            return 2;
        }

        string? document = null;
        if (command != "export")
        {
            if (!File.Exists(file))
            {
                await output.WriteLineAsync($"{file} does not exist.");
                return 2;
            }

            document = await File.ReadAllTextAsync(file);
        }

        try
        {
            var reply = url is null
                ? await RunLocallyAsync(command, document, configuration, configure)
                : await new RemoteConfiguration(new Uri(url)).SendAsync(command, document);
            return await FinishAsync(command, file, reply, output);
        }
        catch (HttpRequestException e)
        {
            await output.WriteLineAsync($"The broker at {url} did not answer: {e.Message}");
            return 1;
        }
        catch (InvalidOperationException e) when (url is not null)
        {
            await output.WriteLineAsync(e.Message);
            return 1;
        }
    }

    /// <summary>What the admin API would answer, computed in this process: status and body.</summary>
    private static async Task<(int Status, string Body)> RunLocallyAsync(
        string command, string? document, List<string> configuration, Action<WebApplicationBuilder>? configure)
    {
        // The host is built for its services only; it is never started, so nothing listens.
        await using var app = BrokerApp.Build([.. configuration], configure);
        var planner = app.Services.GetRequiredService<ConfigurationPlanner>();
        if (command == "export")
        {
            return (200, ConfigurationYaml.Write(await planner.ExportAsync(CancellationToken.None)));
        }

        var read = ConfigurationYaml.Read(document!);
        if (!read.IsSuccess)
        {
            return (400, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = read.Error!.Type, ["message"] = read.Error.Message }));
        }

        if (command == "plan")
        {
            return (200, Encoding.UTF8.GetString(ConfigurationReportJson.WritePlan(await planner.PlanAsync(read.Value, CancellationToken.None))));
        }

        var apply = await planner.ApplyAsync(read.Value, CancellationToken.None);
        return (ConfigurationReportJson.StatusOf(apply), Encoding.UTF8.GetString(ConfigurationReportJson.WriteApply(apply)));
    }

    private static async Task<int> FinishAsync(string command, string file, (int Status, string Body) reply, TextWriter output)
    {
        if (command == "export" && reply.Status == 200)
        {
            await File.WriteAllTextAsync(file, reply.Body);
            await output.WriteLineAsync($"Exported to {file}.");
            return 0;
        }

        using var json = ParseReport(reply.Body);
        if (json?.RootElement.TryGetProperty("Changes", out _) != true)
        {
            var root = json?.RootElement;
            var message = root?.TryGetProperty("message", out var m) == true ? m.GetString()
                : root?.TryGetProperty("Message", out var n) == true ? n.GetString() : null;
            await output.WriteLineAsync($"Refused ({reply.Status}): {message ?? "the broker's answer has no report."}");
            return 1;
        }

        await output.WriteLineAsync(ConfigurationReportJson.Render(json.RootElement));
        var problems = json.RootElement.GetProperty("Problems").GetArrayLength();
        return reply.Status == 200 && problems == 0 ? 0 : 1;
    }

    private static JsonDocument? ParseReport(string body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string? File, string? Url, List<string> Configuration, string? Error) Parse(string[] args)
    {
        string? file = null;
        string? url = null;
        var configuration = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (i + 1 >= args.Length)
            {
                return (null, null, configuration, $"{args[i]} needs a value.");
            }

            switch (args[i])
            {
                case "--file":
                    file = args[++i];
                    break;
                case "--url":
                    url = args[++i];
                    if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
                    {
                        return (null, null, configuration, "--url must be the broker's http(s) URL.");
                    }

                    break;
                default:
                    configuration.Add(args[i]);
                    configuration.Add(args[++i]);
                    break;
            }
        }

        return (file, url, configuration, null);
    }
}
