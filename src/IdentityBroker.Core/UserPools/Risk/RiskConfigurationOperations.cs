using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.CompromisedPasswords;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Risk;

/// <summary>SetRiskConfiguration for a pool or one of its clients.</summary>
/// <param name="CompromisedCredentials">Null removes the configuration at that level.</param>
public sealed record SetRiskConfiguration(string UserPoolId, string? ClientId, CompromisedCredentialsRisk? CompromisedCredentials);

/// <summary>DescribeRiskConfiguration for a pool or one of its clients.</summary>
public sealed record DescribeRiskConfiguration(string UserPoolId, string? ClientId);

/// <summary>RiskConfigurationType as the replies carry it.</summary>
public sealed record RiskConfiguration(string UserPoolId, string? ClientId, CompromisedCredentialsRisk? CompromisedCredentials, DateTimeOffset? LastModifiedDate);

/// <summary>
/// SetRiskConfiguration and DescribeRiskConfiguration: only the compromised-credentials part is kept (account takeover
/// and IP filters are Cognito's threat protection, which the broker does not model).
/// </summary>
public sealed class RiskConfigurationOperations(IUserPoolStore store, CompromisedPasswordCheck check, TimeProvider time)
{
    /// <summary>BLOCK with no source would be a promise the broker cannot keep; the operator must configure one first.</summary>
    public static AwsError NoSource { get; } = UserPoolErrors.InvalidParameter(
        "Compromised-credentials BLOCK needs a source of breached passwords: set " + CompromisedPasswordsOptions.Section
        + ":File or :RangeApiUrl in the broker's configuration.");

    public async Task<Result<RiskConfiguration>> SetAsync(SetRiskConfiguration command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.CompromisedCredentials?.EventAction == CompromisedCredentialsRisk.Block && !check.HasSources)
        {
            return NoSource;
        }

        var found = await FindAsync(command.UserPoolId, command.ClientId, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var now = time.GetUtcNow();
        var risk = (found.Value.Risk ?? RiskConfigurations.Empty).With(command.ClientId, command.CompromisedCredentials);
        if (!await store.UpdateUserPoolAsync(found.Value with { Risk = risk }, cancellationToken).ConfigureAwait(false))
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        return new RiskConfiguration(command.UserPoolId, command.ClientId, command.CompromisedCredentials, now);
    }

    public async Task<Result<RiskConfiguration>> DescribeAsync(DescribeRiskConfiguration command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var found = await FindAsync(command.UserPoolId, command.ClientId, cancellationToken).ConfigureAwait(false);
        return found.IsSuccess
            ? new RiskConfiguration(command.UserPoolId, command.ClientId, found.Value.Risk?.For(command.ClientId), null)
            : found.Error!;
    }

    private async Task<Result<UserPool>> FindAsync(string userPoolId, string? clientId, CancellationToken cancellationToken)
    {
        if (await store.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false) is not { } pool)
        {
            return UserPoolErrors.UserPoolNotFound(userPoolId);
        }

        if (clientId is not null && await store.GetClientAsync(userPoolId, clientId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UserPoolErrors.ClientNotFound(clientId);
        }

        return pool;
    }
}
