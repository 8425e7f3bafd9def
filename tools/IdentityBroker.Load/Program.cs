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

// --userpools [KEYS] (UserPools/UserPoolRun.cs) likewise: the user-pool rows instead of the comparison run.
var userPoolsAt = Array.IndexOf(args, "--userpools");
string[]? userPoolKeys = null;
if (userPoolsAt >= 0)
{
    var hasKeys = userPoolsAt + 1 < args.Length && !args[userPoolsAt + 1].StartsWith("--", StringComparison.Ordinal);
    userPoolKeys = hasKeys ? args[userPoolsAt + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
    args = [.. args[..userPoolsAt], .. args[Math.Min(args.Length, userPoolsAt + (hasKeys ? 2 : 1))..]];
}

var options = LoadOptions.Parse(args);
var unknownKey = userPoolKeys?.Any(k => IdentityBroker.Load.UserPools.UserPoolOperation.All.All(op => op.Key != k)) ?? false;
if (options is null || unknownKey || sizes is { Length: 0 } || (sizes is not null && sizes.Any(s => s < 1)))
{
    Console.Error.WriteLine(LoadOptions.Usage);
    Console.Error.WriteLine("""
          --scale N1,N2,...      instead of the comparison run: for each N, a fresh SQLite store filled with N OIDC
                                 identities, then GetId (OIDC, users spread over 0..N-1; --users tokens) and GetId
                                 (guest); reports p50/p99/req/s, peak RSS, file size and the ratio between the sizes
          --userpools [KEYS]     instead of the comparison run: the user-pool rows srp, refresh, getuser, password
                                 (comma list; default all), each against the bound of its own cryptography
        """);
    return 2;
}

return userPoolKeys is not null ? await IdentityBroker.Load.UserPools.UserPoolRun.RunAsync(options, userPoolKeys)
    : sizes is null ? await LoadRun.RunAsync(options)
    : await ScaleRun.RunAsync(options, sizes);
