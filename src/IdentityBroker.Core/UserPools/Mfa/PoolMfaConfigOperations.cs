using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Mfa;

/// <summary>SetUserPoolMfaConfig and GetUserPoolMfaConfig: the pool's MfaConfiguration (also DescribeUserPool's) and its factors.</summary>
public sealed class PoolMfaConfigOperations(IUserPoolStore store, TimeProvider time)
{
    public async Task<Result<PoolMfaConfig>> SetAsync(SetPoolMfaConfig command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await store.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is not { } pool)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        var mode = command.MfaConfiguration ?? pool.Settings.MfaConfiguration;
        if (Refusal(mode, command.Factors) is { } refused)
        {
            return refused;
        }

        var updated = pool with
        {
            Settings = pool.Settings with { MfaConfiguration = mode, MfaFactors = command.Factors },
            LastModifiedDate = time.GetUtcNow(),
        };
        return await store.UpdateUserPoolAsync(updated, cancellationToken).ConfigureAwait(false)
            ? Of(updated)
            : UserPoolErrors.UserPoolNotFound(command.UserPoolId);
    }

    public async Task<Result<PoolMfaConfig>> GetAsync(GetPoolMfaConfig command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await store.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false);
        return pool is null ? UserPoolErrors.UserPoolNotFound(command.UserPoolId) : Of(pool);
    }

    /// <summary>The pool's mode and the factors it offers (none for a pool never given any).</summary>
    public static PoolMfaConfig Of(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new(pool.Settings.MfaConfiguration, pool.Settings.MfaFactors ?? PoolMfaFactors.None);
    }

    /// <summary>Cognito refuses ON/OPTIONAL without a factor, and OFF with one.</summary>
    internal static AwsError? Refusal(string mode, PoolMfaFactors factors) => (mode, factors.Any) switch
    {
        (UserPoolSettings.MfaOff, true) => MfaErrors.FactorWithMfaOff,
        (not UserPoolSettings.MfaOff, false) => MfaErrors.NoFactorWithMfa,
        _ => null,
    };
}
