using Microsoft.Win32.SafeHandles;

namespace IdentityBroker.UserPools.CompromisedPasswords;

/// <summary>
/// A local copy of Pwned Passwords in either published layout: one file of "HASH:COUNT" lines sorted by hash (the
/// "ordered by hash" SHA-1 download, tens of GB: searched in place by bisection, a few dozen small reads per look-up),
/// or a directory of range files named after their prefix (<c>ABCDE.txt</c> or <c>ABCDE</c>, "SUFFIX:COUNT" lines, as
/// the PwnedPasswordsDownloader writes them). A range file missing from the directory makes the look-up Unavailable,
/// not NotFound: an incomplete copy must not pass a password as clean.
/// </summary>
public sealed class PwnedPasswordsFile : IPwnedPasswordsSource
{
    /// <summary>A line is 40 hex digits, a colon, a count and a line break; anything longer is not this format.</summary>
    private const int MaxLineBytes = 96;

    private readonly string _path;

    public PwnedPasswordsFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
    }

    public ValueTask<CompromisedVerdict> LookupAsync(string sha1Hex, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha1Hex);
        var hash = sha1Hex.ToUpperInvariant();
        return ValueTask.FromResult(Directory.Exists(_path) ? LookupInRangeFile(hash) : LookupInSortedFile(hash));
    }

    private CompromisedVerdict LookupInRangeFile(string hash)
    {
        var prefix = hash[..PwnedRange.PrefixLength];
        var file = Path.Combine(_path, prefix + ".txt");
        if (!File.Exists(file))
        {
            file = Path.Combine(_path, prefix);
        }

        if (!File.Exists(file))
        {
            return CompromisedVerdict.Unavailable;
        }

        using var reader = new StreamReader(file);
        return PwnedRange.Lists(reader, hash[PwnedRange.PrefixLength..]) ? CompromisedVerdict.Compromised : CompromisedVerdict.NotFound;
    }

    private CompromisedVerdict LookupInSortedFile(string hash)
    {
        if (!File.Exists(_path))
        {
            return CompromisedVerdict.Unavailable;
        }

        using var handle = File.OpenHandle(_path);
        return new SortedFileSearch(handle).Find(hash) ? CompromisedVerdict.Compromised : CompromisedVerdict.NotFound;
    }

    /// <summary>
    /// Bisection over line starts. Invariant: <c>lo</c> is a line start and every line starting before it sorts below the
    /// hash; every line starting at or after <c>hi</c> sorts above it.
    /// </summary>
    private readonly struct SortedFileSearch(SafeFileHandle handle)
    {
        private readonly long _length = RandomAccess.GetLength(handle);

        public bool Find(string hash)
        {
            long lo = 0, hi = _length;
            while (lo < hi)
            {
                var mid = lo + (hi - lo) / 2;
                var start = LineStartAtOrAfter(mid);
                if (start >= hi)
                {
                    hi = mid;
                    continue;
                }

                var (line, next) = LineAt(start);
                var key = line.Length >= PwnedRange.HashLength ? line[..PwnedRange.HashLength] : line;
                var order = string.Compare(key, hash, StringComparison.OrdinalIgnoreCase);
                if (order == 0)
                {
                    return PwnedRange.Matches(line, hash, out var breached) && breached;
                }

                if (order < 0)
                {
                    lo = next;
                }
                else
                {
                    hi = start;
                }
            }

            return false;
        }

        private long LineStartAtOrAfter(long position)
        {
            if (position == 0)
            {
                return 0;
            }

            Span<byte> buffer = stackalloc byte[MaxLineBytes];
            var read = RandomAccess.Read(handle, buffer, position - 1);
            var newline = buffer[..read].IndexOf((byte)'\n');
            return newline < 0 ? _length : position + newline;
        }

        private (string Line, long Next) LineAt(long start)
        {
            Span<byte> buffer = stackalloc byte[MaxLineBytes];
            var read = RandomAccess.Read(handle, buffer, start);
            var newline = buffer[..read].IndexOf((byte)'\n');
            var end = newline < 0 ? read : newline;
            var line = System.Text.Encoding.ASCII.GetString(buffer[..end]).TrimEnd('\r');
            return (line, newline < 0 ? start + read : start + newline + 1);
        }
    }
}
