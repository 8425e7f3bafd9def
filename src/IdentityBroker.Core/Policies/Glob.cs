namespace IdentityBroker.Policies;

/// <summary>
/// IAM wildcard matching: <c>*</c> matches any run of characters, <c>?</c> exactly one. A backslash escapes the next
/// character; <see cref="PolicyVariables"/> uses it so that substituted values (and <c>${*}</c>) match literally.
/// </summary>
public static class Glob
{
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool ignoreCase)
    {
        int p = 0, t = 0, resumeP = -1, resumeT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length)
            {
                var c = pattern[p];
                if (c == '*')
                {
                    resumeP = ++p;
                    resumeT = t;
                    continue;
                }

                if (c == '?')
                {
                    p++;
                    t++;
                    continue;
                }

                var width = 1;
                if (c == '\\' && p + 1 < pattern.Length)
                {
                    c = pattern[p + 1];
                    width = 2;
                }

                if (Same(c, text[t], ignoreCase))
                {
                    p += width;
                    t++;
                    continue;
                }
            }

            if (resumeP < 0)
            {
                return false;
            }

            // Let the last star absorb one more character and retry from there.
            p = resumeP;
            t = ++resumeT;
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Escapes a literal so that it matches only itself.</summary>
    public static string Escape(string literal)
    {
        if (literal.AsSpan().IndexOfAny('*', '?', '\\') < 0)
        {
            return literal;
        }

        var builder = new System.Text.StringBuilder(literal.Length + 4);
        foreach (var c in literal)
        {
            if (c is '*' or '?' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
