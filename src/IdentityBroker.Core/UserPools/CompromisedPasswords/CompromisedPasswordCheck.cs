using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityBroker.UserPools.CompromisedPasswords;

/// <summary>The answer for one password: the combined verdict and whether to block it under the configured failure mode.</summary>
public sealed record CompromisedPasswordResult(CompromisedVerdict Verdict, bool Block);

/// <summary>
/// Asks every configured source (<see cref="CompromisedPasswordsOptions"/>) about a password's SHA-1. Compromised if any
/// source lists it; otherwise Unavailable if any source could not answer — blocked or let through as
/// <see cref="CompromisedPasswordsOptions.WhenUnavailable"/> says — otherwise NotFound. With no source configured
/// <see cref="HasSources"/> is false: a pool that asks for BLOCK must then be refused, not waved through.
/// </summary>
public sealed partial class CompromisedPasswordCheck
{
    private readonly IReadOnlyList<IPwnedPasswordsSource> _sources;
    private readonly WhenSourceUnavailable _whenUnavailable;
    private readonly ILogger<CompromisedPasswordCheck> _logger;
    private readonly LogThrottle _throttle;

    public CompromisedPasswordCheck(IOptions<CompromisedPasswordsOptions> options, IHttpClientFactory clients, ILoggerFactory loggers, TimeProvider time)
        : this(Sources(options, clients, loggers), options?.Value.WhenUnavailable ?? WhenSourceUnavailable.Allow, loggers, time)
    {
    }

    public CompromisedPasswordCheck(
        IReadOnlyList<IPwnedPasswordsSource> sources, WhenSourceUnavailable whenUnavailable, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _sources = sources;
        _whenUnavailable = whenUnavailable;
        _logger = loggers.CreateLogger<CompromisedPasswordCheck>();
        _throttle = new LogThrottle(time);
    }

    public bool HasSources => _sources.Count > 0;

    public async Task<CompromisedPasswordResult> CheckAsync(string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
#pragma warning disable CA5350 // Pwned Passwords is indexed by SHA-1; it names the password, it protects nothing here.
        var sha1 = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
#pragma warning restore CA5350
        var unavailable = false;
        foreach (var source in _sources)
        {
            switch (await source.LookupAsync(sha1, cancellationToken).ConfigureAwait(false))
            {
                case CompromisedVerdict.Compromised:
                    return new CompromisedPasswordResult(CompromisedVerdict.Compromised, Block: true);
                case CompromisedVerdict.Unavailable:
                    unavailable = true;
                    break;
            }
        }

        if (!unavailable)
        {
            return new CompromisedPasswordResult(CompromisedVerdict.NotFound, Block: false);
        }

        var block = _whenUnavailable == WhenSourceUnavailable.Block;
        // An outage makes every sign-up and sign-in hit this: one line per LogThrottle.Interval, with the count left out.
        if (_throttle.TryTake(out var suppressed))
        {
            LogSourceUnavailable(_logger, block ? "blocked" : "allowed", CompromisedPasswordsOptions.Section, suppressed);
        }

        return new CompromisedPasswordResult(CompromisedVerdict.Unavailable, block);
    }

    [LoggerMessage(EventId = LogEvents.CompromisedSourceUnavailable, Level = LogLevel.Warning,
        Message = "A compromised-password source could not answer; the password is {Decision} ({Section}:WhenUnavailable); {Suppressed} more since the last line")]
    private static partial void LogSourceUnavailable(ILogger logger, string decision, string section, int suppressed);

    private static List<IPwnedPasswordsSource> Sources(IOptions<CompromisedPasswordsOptions> options, IHttpClientFactory clients, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var sources = new List<IPwnedPasswordsSource>();
        if (options.Value.File is { } file)
        {
            sources.Add(new PwnedPasswordsFile(file));
        }

        if (options.Value.RangeApiUrl is not null)
        {
            sources.Add(new PwnedPasswordsRangeApi(clients, options, loggers.CreateLogger<PwnedPasswordsRangeApi>()));
        }

        return sources;
    }
}
