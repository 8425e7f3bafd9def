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

// --mixed N (Mixed/MixedRun.cs) likewise: N mixed requests, 1% malformed, counted by status class.
var mixedAt = Array.IndexOf(args, "--mixed");
int? mixed = null;
if (mixedAt >= 0)
{
    mixed = mixedAt + 1 < args.Length && int.TryParse(args[mixedAt + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    args = [.. args[..mixedAt], .. args[Math.Min(args.Length, mixedAt + 2)..]];
}

// --readme: the whole README table in one command: the comparison run with every row (readme-table.md), then the
// scale run at 1,000 and 1,000,000 identities (scale.md) into the same output directory.
var readme = args.Contains("--readme");
args = [.. args.Where(a => a != "--readme")];

var options = LoadOptions.Parse(args);
var unknownKey = userPoolKeys?.Any(k => IdentityBroker.Load.UserPools.UserPoolOperation.All.All(op => op.Key != k)) ?? false;
if (options is null || unknownKey || sizes is { Length: 0 } || (sizes is not null && sizes.Any(s => s < 1)) || mixed is < 1)
{
    Console.Error.WriteLine(LoadOptions.Usage);
    Console.Error.WriteLine("""
          --scale N1,N2,...      instead of the comparison run: for each N, a fresh SQLite store filled with N OIDC
                                 identities, then GetId (OIDC, users spread over 0..N-1; --users tokens) and GetId
                                 (guest); reports p50/p99/req/s, peak RSS, file size and the ratio between the sizes
          --userpools [KEYS]     instead of the comparison run: the user-pool rows srp, refresh, getuser, password
                                 (comma list; default all), each against the bound of its own cryptography
          --readme               the comparison run with every row, then --scale 1000,1000000, into one output
                                 directory: readme-table.md and scale.md are the README's performance table
          --mixed N              instead of the comparison run: N requests over --connections, 1% malformed, across
                                 every operation of every service model and the admin API; counts replies by status
                                 class and exits 1 on any 5xx or unanswered request (docs/hostile-input.md)
        """);
    return 2;
}

if (options.Pin is { } pin)
{
    ManagedProcess.Pin(pin.Server, pin.Load);
}

if (readme && sizes is null && mixed is null && userPoolKeys is null)
{
    var code = await LoadRun.RunAsync(options);
    return code != 0 ? code : await ScaleRun.RunAsync(options, [1_000, 1_000_000]);
}

return mixed is { } count ? await IdentityBroker.Load.Mixed.MixedRun.RunAsync(options, count)
    : userPoolKeys is not null ? await IdentityBroker.Load.UserPools.UserPoolRun.RunAsync(options, userPoolKeys)
    : sizes is null ? await LoadRun.RunAsync(options)
    : await ScaleRun.RunAsync(options, sizes);
