using IdentityBroker.Errors;
using IdentityBroker.UserPools.CompromisedPasswords;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Risk;

/// <summary>
/// Asks <see cref="CompromisedPasswordCheck"/> about a new or presented password when the pool's (or client's)
/// CompromisedCredentialsRiskConfiguration blocks at this event; a password listed in a breach is refused. Whether an
/// outage of the sources blocks is <see cref="CompromisedPasswordsOptions.WhenUnavailable"/> (fail-open by default).
/// </summary>
public sealed class CompromisedPasswordGate(CompromisedPasswordCheck check)
{
    /// <summary>
    /// Sign-up and password changes: the AWS documentation does not publish the wording, so the broker answers the error
    /// clients already handle for "choose another password", InvalidPasswordException, with its own clause.
    /// </summary>
    public static AwsError Compromised { get; } = UserPoolErrors.InvalidPassword("Password has been found in a data breach (compromised credentials)");

    /// <summary>The error to answer, or null to go on. <paramref name="riskEvent"/> is one of <see cref="RiskEvents"/>.</summary>
    public async Task<AwsError?> CheckAsync(UserPool pool, string? clientId, string password, string riskEvent, CancellationToken cancellationToken) =>
        await IsBlockedAsync(pool, clientId, password, riskEvent, cancellationToken).ConfigureAwait(false) ? Compromised : null;

    /// <summary>True when the configuration blocks at this event and the check says to block the password.</summary>
    public async Task<bool> IsBlockedAsync(UserPool pool, string? clientId, string password, string riskEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Risk?.For(clientId) is not { } risk || !risk.Blocks(riskEvent) || !check.HasSources)
        {
            return false;
        }

        return (await check.CheckAsync(password, cancellationToken).ConfigureAwait(false)).Block;
    }
}
