using System.Globalization;
using IdentityBroker.Load;

// --scale SIZES (ScaleRun.cs) is taken out before the common options are parsed, so LoadOptions stays as it is.
var scaleAt = Array.IndexOf(args, "--scale");
int[]? sizes = null;
if (scaleAt >= 0)
{
    sizes = scaleAt + 1 < args.Length
        ? args[scaleAt + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
        : [];
    args = [.. args[..scaleAt], .. args[Math.Min(args.Length, scaleAt + 2)..]];
}

var options = LoadOptions.Parse(args);
if (options is null || sizes is { Length: 0 } || (sizes is not null && sizes.Any(s => s < 1)))
{
    Console.Error.WriteLine(LoadOptions.Usage);
    Console.Error.WriteLine("""
          --scale N1,N2,...      instead of the comparison run: for each N, a fresh SQLite store filled with N OIDC
                                 identities, then GetId (OIDC, users spread over 0..N-1; --users tokens) and GetId
                                 (guest); reports p50/p99/req/s, peak RSS, file size and the ratio between the sizes
        """);
    return 2;
}

return sizes is null ? await LoadRun.RunAsync(options) : await ScaleRun.RunAsync(options, sizes);
