using System.Text.Json;
using IdentityBroker.Configuration;

namespace IdentityBroker.Server.Configuration;

/// <summary>
/// The report of a plan or an apply, as the admin API answers it and the CLI prints it: the changes per resource, the
/// write-time problems, and for an apply its outcome with the resources another writer changed and any left changed.
/// A refused or interfered apply also carries <c>__type</c> and <c>message</c>, so that it reads as an AWS error document.
/// </summary>
internal static class ConfigurationReportJson
{
    public const string RefusedType = "ConfigurationRefusedException";
    public const string InterferedType = "ConfigurationConflictException";

    public static byte[] WritePlan(ConfigurationPlan plan) => Write(plan, null);

    public static byte[] WriteApply(ConfigurationApply apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        return Write(apply.Plan, apply);
    }

    public static int StatusOf(ConfigurationApply apply) => apply?.Outcome switch
    {
        ApplyOutcome.Refused => 400,
        ApplyOutcome.Interfered => 409,
        _ => 200,
    };

    private static byte[] Write(ConfigurationPlan plan, ConfigurationApply? apply)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            if (apply is not null)
            {
                WriteOutcome(w, apply);
            }

            w.WriteStartArray("Changes");
            foreach (var change in plan.Changes)
            {
                w.WriteStartObject();
                w.WriteString("Action", change.Action.ToString());
                w.WriteString("Kind", change.Kind);
                w.WriteString("Name", change.Name);
                w.WriteStartArray("Members");
                change.Members.ToList().ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("Problems");
            foreach (var problem in plan.Problems)
            {
                w.WriteStartObject();
                w.WriteString("Kind", problem.Kind);
                w.WriteString("Name", problem.Name);
                w.WriteString("Code", problem.Code);
                w.WriteString("Message", problem.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteOutcome(Utf8JsonWriter w, ConfigurationApply apply)
    {
        switch (apply.Outcome)
        {
            case ApplyOutcome.Refused:
                w.WriteString("__type", RefusedType);
                w.WriteString("message", "The broker's write-time checks refused the document (see Problems); nothing was changed.");
                break;
            case ApplyOutcome.Interfered:
                w.WriteString("__type", InterferedType);
                w.WriteString("message", apply.Write!.LeftChanged.Count == 0
                    ? "Another writer changed resources since they were read (see Interfered); nothing was changed. Plan and apply again."
                    : "Another writer changed resources since they were read (see Interfered); the resources in LeftChanged stay changed.");
                break;
        }

        w.WriteString("Outcome", apply.Outcome.ToString());
        WriteNames(w, "Interfered", apply.Write?.Interfered ?? []);
        WriteNames(w, "LeftChanged", apply.Write?.LeftChanged ?? []);
    }

    private static void WriteNames(Utf8JsonWriter w, string name, IReadOnlyList<string> names)
    {
        w.WriteStartArray(name);
        foreach (var item in names)
        {
            w.WriteStringValue(item);
        }

        w.WriteEndArray();
    }

    /// <summary>The report as the CLI prints it: one line per change, problem and conflict.</summary>
    public static string Render(JsonElement report)
    {
        var lines = new List<string>();
        foreach (var change in report.GetProperty("Changes").EnumerateArray())
        {
            var action = change.GetProperty("Action").GetString();
            var sign = action switch { "Create" => "+", "Delete" => "-", _ => "~" };
            var members = change.GetProperty("Members").EnumerateArray().Select(m => m.GetString()).ToList();
            lines.Add($"{sign} {action!.ToLowerInvariant()} {change.GetProperty("Kind").GetString()} {change.GetProperty("Name").GetString()}"
                + (members.Count > 0 ? $" ({string.Join(", ", members)})" : string.Empty));
        }

        if (lines.Count == 0)
        {
            lines.Add("No changes: the broker is as the document says.");
        }

        foreach (var problem in report.GetProperty("Problems").EnumerateArray())
        {
            lines.Add($"! {problem.GetProperty("Kind").GetString()} {problem.GetProperty("Name").GetString()}: "
                + $"{problem.GetProperty("Code").GetString()}: {problem.GetProperty("Message").GetString()}");
        }

        if (report.TryGetProperty("Outcome", out var outcome))
        {
            lines.Add($"Outcome: {outcome.GetString()}");
            lines.AddRange(report.GetProperty("Interfered").EnumerateArray().Select(n => $"  changed by another writer: {n.GetString()}"));
            lines.AddRange(report.GetProperty("LeftChanged").EnumerateArray().Select(n => $"  left changed: {n.GetString()}"));
        }

        return string.Join('\n', lines);
    }
}
