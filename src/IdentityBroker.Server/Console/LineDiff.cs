namespace IdentityBroker.Server.Console;

/// <summary>One line of a diff: kept (' '), removed ('-') or added ('+').</summary>
public sealed record DiffLine(char Kind, string Text);

/// <summary>A line diff by longest common subsequence: small documents only (a pool's roles and mappings).</summary>
internal static class LineDiff
{
    public static IReadOnlyList<DiffLine> Compare(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var a = before.Split('\n');
        var b = after.Split('\n');
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var lines = new List<DiffLine>(a.Length + b.Length);
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

        return lines;
    }

    public static bool HasChanges(IReadOnlyList<DiffLine> lines) => lines.Any(l => l.Kind != ' ');
}
