namespace IdentityBroker.Server.Console;

/// <summary>One line of a diff: kept (' '), removed ('-') or added ('+').</summary>
public sealed record DiffLine(char Kind, string Text);

/// <summary>A line diff by longest common subsequence over the changed middle (the common head and tail are cut first), bounded in memory.</summary>
internal static class LineDiff
{
    /// <summary>The most cells the subsequence table may have (4 MB of ints): past it, the changed middle is shown as removed then added.</summary>
    internal const long MaxCells = 1_000_000;

    public static IReadOnlyList<DiffLine> Compare(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var a = before.Split('\n');
        var b = after.Split('\n');

        // The common head and tail are kept as they are; only the middle needs the table (an edit usually touches one place).
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)])
        {
            tail++;
        }

        var lines = new List<DiffLine>(a.Length + b.Length);
        lines.AddRange(a.Take(head).Select(l => new DiffLine(' ', l)));
        Middle(a[head..^tail], b[head..^tail], lines);
        lines.AddRange(a.Skip(a.Length - tail).Select(l => new DiffLine(' ', l)));
        return lines;
    }

    private static void Middle(string[] a, string[] b, List<DiffLine> lines)
    {
        if ((long)(a.Length + 1) * (b.Length + 1) > MaxCells)
        {
            lines.AddRange(a.Select(l => new DiffLine('-', l)));
            lines.AddRange(b.Select(l => new DiffLine('+', l)));
            return;
        }

        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add(new DiffLine(' ', a[x++]));
                y++;
            }
            else if (x < a.Length && (y == b.Length || common[x + 1, y] >= common[x, y + 1]))
            {
                // Removed lines before added ones, as diff(1) shows a change.
                lines.Add(new DiffLine('-', a[x++]));
            }
            else
            {
                lines.Add(new DiffLine('+', b[y++]));
            }
        }
    }

    public static bool HasChanges(IReadOnlyList<DiffLine> lines) => lines.Any(l => l.Kind != ' ');
}
