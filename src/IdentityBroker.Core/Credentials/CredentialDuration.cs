using IdentityBroker.Errors;
using IdentityBroker.Federation;
using IdentityBroker.Pools;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Credentials;

/// <summary>
/// Chooses the DurationSeconds of a mint (docs/credentials.md, "Duration"): the expression rule's (or STS's default, one
/// hour), lowered to the pool's <see cref="PoolLimits.MaxCredentialDurationSeconds"/> and, with
/// <see cref="CredentialsOptions.CapAtLoginExpiry"/>, to the seconds the earliest-expiring login has left. Every minting
/// path (STS over HTTP, the embedded STS in process) takes the duration chosen here.
/// </summary>
public sealed class CredentialDuration(IOptions<CredentialsOptions> options, TimeProvider time)
{
    /// <summary>STS's default when DurationSeconds is absent.</summary>
    public const int StsDefaultSeconds = 3_600;

    /// <returns>
    /// <paramref name="requested"/> itself when no cap lowers it (null stays null: STS's default); the cap otherwise.
    /// NotAuthorizedException when the login has less than 900 s left, the shortest session STS issues: minting 900 s
    /// would let the credentials outlive the login, which the operator turned the cap on to prevent.
    /// </returns>
    public Result<int?> Choose(IdentityPool pool, IReadOnlyList<ValidatedLogin> logins, int? requested)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(logins);
        var cap = (int?)pool.Limits?.MaxCredentialDurationSeconds;
        if (options.Value.CapAtLoginExpiry && SecondsLeft(logins) is { } left)
        {
            if (left < PoolLimits.MinDurationSeconds)
            {
                return CognitoErrors.InvalidLoginToken(
                    $"The token expires in less than {PoolLimits.MinDurationSeconds} seconds, the shortest credentials this broker issues; sign in again.");
            }

            cap = cap is { } pooled ? Math.Min(pooled, left) : left;
        }

        return Result<int?>.Ok(cap is { } limit && (requested ?? StsDefaultSeconds) > limit ? limit : requested);
    }

    /// <summary>Whole seconds until the earliest login expiry (rounded down, so credentials end at or before it); null when none expires.</summary>
    private int? SecondsLeft(IReadOnlyList<ValidatedLogin> logins)
    {
        DateTimeOffset? earliest = null;
        foreach (var login in logins)
        {
            earliest = login.ExpiresAt is { } at && (earliest is null || at < earliest) ? at : earliest;
        }

        return earliest is { } end ? (int)Math.Clamp(Math.Floor((end - time.GetUtcNow()).TotalSeconds), 0, int.MaxValue) : null;
    }
}
