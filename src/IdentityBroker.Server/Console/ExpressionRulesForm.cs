using System.Globalization;
using System.Text.RegularExpressions;
using IdentityBroker.Mapping.Expressions;
using IdentityBroker.Pools;

namespace IdentityBroker.Server.Console;

/// <summary>One expression rule as the editor shows it: its place, and each member as typed (empty strings for empty fields).</summary>
public sealed record ExpressionRow(string Order, string Condition, string Role, string Tags, string SessionPolicy, string Duration)
{
    public static readonly ExpressionRow Blank = new("", "", "", "", "", "");

    public bool IsBlank => Condition.Length == 0 && Role.Length == 0 && Tags.Length == 0 && SessionPolicy.Length == 0 && Duration.Length == 0;
}

/// <summary>
/// The expression-rule editor's form (docs/console.md, "Expression rules"): the pool's ordered rules, each a row with its
/// position, Condition, Role, Tags (<c>key = expression</c> lines), SessionPolicy and DurationSeconds. Rows are put in the
/// order of their position fields (a row whose position is cleared keeps its place); a row left empty is removed; empty rows
/// at the end add rules. It becomes the same rule list <c>PUT /admin/api/pools/{id}/rules</c> takes, so the same compiler,
/// type checks and trust checks judge it; <see cref="Place"/> puts each message at the rule's field it names.
/// Field names: <c>x{n}.order|condition|role|tags|policy|duration</c>.
/// </summary>
public sealed partial record ExpressionRulesForm(IReadOnlyList<ExpressionRow> Rows)
{
    public const string FormField = "x.form";

    /// <summary>Empty rows offered after the rules, to add rules without script.</summary>
    public const int BlankRows = 2;

    public static ExpressionRulesForm FromRules(IReadOnlyList<ExpressionRule>? rules) =>
        new([.. (rules ?? []).Select((rule, i) => new ExpressionRow(
            (i + 1).ToString(CultureInfo.InvariantCulture),
            rule.Condition ?? "",
            rule.Role ?? "",
            string.Join('\n', (rule.Tags ?? new Dictionary<string, string>()).Select(t => $"{t.Key} = {t.Value}")),
            rule.SessionPolicy ?? "",
            rule.DurationSeconds?.ToString(CultureInfo.InvariantCulture) ?? ""))]);

    /// <summary>The posted rows, blank ones dropped, in the order of their positions, renumbered 1…n: row n is rule n of the request.</summary>
    public static ExpressionRulesForm Read(Func<string, string?> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var rows = new List<(double Order, int Index, ExpressionRow Row)>();
        for (var i = 0; i < ExpressionLimits.MaxRules + BlankRows; i++)
        {
            var row = new ExpressionRow(field($"x{i}.order") ?? "", field($"x{i}.condition") ?? "", field($"x{i}.role") ?? "",
                field($"x{i}.tags") ?? "", field($"x{i}.policy") ?? "", field($"x{i}.duration") ?? "");
            if (!row.IsBlank)
            {
                var order = double.TryParse(row.Order, NumberStyles.Float, CultureInfo.InvariantCulture, out var o) && double.IsFinite(o) ? o : i + 1;
                rows.Add((order, i, row));
            }
        }

        return new ExpressionRulesForm([.. rows.OrderBy(r => r.Order).ThenBy(r => r.Index)
            .Select((r, n) => r.Row with { Order = (n + 1).ToString(CultureInfo.InvariantCulture) })]);
    }

    /// <summary>The rules this form stands for, or the first field that cannot become a rule member (a duration that is not a number, a tag line without <c>=</c>).</summary>
    public (IReadOnlyList<ExpressionRule>? Rules, (string Field, string Message)? Problem) ToRules()
    {
        var rules = new List<ExpressionRule>();
        for (var i = 0; i < Rows.Count; i++)
        {
            var row = Rows[i];
            var label = $"Expression rule {i + 1}";
            int? duration = null;
            if (row.Duration.Length > 0)
            {
                if (!int.TryParse(row.Duration, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return (null, ($"x{i}.duration", $"{label}: DurationSeconds is a whole number of seconds, not '{row.Duration}'."));
                }

                duration = seconds;
            }

            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in row.Tags.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = line.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || !tags.TryAdd(line[..eq].Trim(), line[(eq + 1)..].Trim()))
                {
                    return (null, ($"x{i}.tags", $"{label}: each Tags line is 'key = expression', with each key once; '{line}' is not."));
                }
            }

            rules.Add(new ExpressionRule
            {
                Condition = row.Condition.Length > 0 ? row.Condition : null,
                Role = row.Role.Length > 0 ? row.Role : null,
                Tags = tags.Count > 0 ? tags : null,
                SessionPolicy = row.SessionPolicy.Length > 0 ? row.SessionPolicy : null,
                DurationSeconds = duration,
            });
        }

        return (rules, null);
    }

    /// <summary>The form with <see cref="BlankRows"/> empty rows after the rules, numbered on.</summary>
    public ExpressionRulesForm WithBlankRows() => this with
    {
        Rows = [.. Rows, .. Enumerable.Range(Rows.Count + 1, BlankRows).Select(n => ExpressionRow.Blank with { Order = n.ToString(CultureInfo.InvariantCulture) })],
    };

    /// <summary>
    /// The field a compiler or trust-check message is about: "Expression rule 2, Tags['team'], line 1, column 4: …" is rule 2's
    /// Tags; "Role '…' (expression rule 3) does not trust …" is rule 3's Role; a message naming no rule is the form's.
    /// </summary>
    public static (string Field, string Message) Place(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rule = RuleNumber().Match(message);
        if (!rule.Success || !int.TryParse(rule.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            return (FormField, message);
        }

        var rest = message[(rule.Index + rule.Length)..];
        var head = rest.Length > 40 ? rest[..40] : rest;
        var member = rest.StartsWith(')') ? "role"
            : head.StartsWith(", Condition", StringComparison.Ordinal) ? "condition"
            : head.StartsWith(", Role", StringComparison.Ordinal) ? "role"
            : head.StartsWith(", Tags", StringComparison.Ordinal) ? "tags"
            : head.Contains("SessionPolicy", StringComparison.Ordinal) ? "policy"
            : head.Contains("DurationSeconds", StringComparison.Ordinal) ? "duration"
            : head.Contains("Tags", StringComparison.Ordinal) || rest.Contains("is not a session-tag key", StringComparison.Ordinal) ? "tags"
            : head.Contains("Role", StringComparison.Ordinal) ? "role"
            : "condition";
        return ($"x{n - 1}.{member}", message);
    }

    [GeneratedRegex(@"[Ee]xpression rule (\d{1,5})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex RuleNumber();
}
