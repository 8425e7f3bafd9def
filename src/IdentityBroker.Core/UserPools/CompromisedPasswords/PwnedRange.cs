namespace IdentityBroker.UserPools.CompromisedPasswords;

/// <summary>
/// The body of a Pwned Passwords range ("SUFFIX:COUNT" lines for one 5-hex-digit prefix, the 35-digit suffix in upper
/// case, CRLF or LF). Lines with a count of 0 are the padding the API adds when asked with "Add-Padding: true": they are
/// not breached passwords.
/// </summary>
public static class PwnedRange
{
    public const int PrefixLength = 5;
    public const int HashLength = 40;

    /// <summary>True when the range lists <paramref name="suffix"/> with a count above zero.</summary>
    public static bool Lists(TextReader range, string suffix)
    {
        ArgumentNullException.ThrowIfNull(range);
        while (range.ReadLine() is { } line)
        {
            if (Matches(line, suffix, out var breached))
            {
                return breached;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="line"/> ("HASH:COUNT") is about <paramref name="hash"/>, and if so whether its count is above zero.</summary>
    public static bool Matches(ReadOnlySpan<char> line, string hash, out bool breached)
    {
        breached = false;
        var colon = line.IndexOf(':');
        if (colon < 0 || !line[..colon].Trim().Equals(hash, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var count = line[(colon + 1)..].Trim();
        breached = !count.ContainsAnyExceptInRange('0', '9') && !count.TrimStart('0').IsEmpty;
        return true;
    }
}
