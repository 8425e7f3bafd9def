using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Domains;

public sealed record CreateUserPoolDomain(string Domain, string UserPoolId, int? ManagedLoginVersion, bool CustomDomain);

public sealed record UpdateUserPoolDomain(string Domain, string UserPoolId, int? ManagedLoginVersion, bool CustomDomain);

public sealed record DeleteUserPoolDomain(string Domain, string UserPoolId);

public sealed record DescribeUserPoolDomain(string Domain);

/// <summary>
/// CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain, DeleteUserPoolDomain for prefix domains
/// (<c>&lt;prefix&gt;.&lt;Broker:UserPools:DomainSuffix&gt;</c>); custom domains are configuration
/// (<see cref="UserPoolDomainOptions.CustomDomains"/>), not certificates. Also the domain's part in DescribeUserPool (its
/// Domain member) and DeleteUserPool (refused while the pool has a domain, as Cognito does).
/// </summary>
public sealed class UserPoolDomainOperations(IUserPoolDomainStore domains, IUserPoolStore pools, TimeProvider time)
{
    public async Task<Result<UserPoolDomain>> CreateAsync(CreateUserPoolDomain command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Refusal(command.CustomDomain, command.ManagedLoginVersion) is { } refused)
        {
            return refused;
        }

        if (await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        var domain = new UserPoolDomain(command.Domain, command.UserPoolId, command.ManagedLoginVersion ?? 1, time.GetUtcNow());
        return await domains.TryCreateDomainAsync(domain, cancellationToken).ConfigureAwait(false) switch
        {
            DomainCreation.Created => domain,
            DomainCreation.DomainTaken => DomainErrors.DomainTaken,
            _ => DomainErrors.PoolHasDomain,
        };
    }

    /// <summary>Null for a domain that does not exist: Cognito answers an empty DomainDescription, not an error.</summary>
    public async Task<Result<UserPoolDomain?>> DescribeAsync(DescribeUserPoolDomain command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Result<UserPoolDomain?>.Ok(await domains.GetDomainAsync(command.Domain, cancellationToken).ConfigureAwait(false));
    }

    public async Task<Result<UserPoolDomain>> UpdateAsync(UpdateUserPoolDomain command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Refusal(command.CustomDomain, command.ManagedLoginVersion) is { } refused)
        {
            return refused;
        }

        var current = await domains.GetDomainAsync(command.Domain, cancellationToken).ConfigureAwait(false);
        if (current is null || current.UserPoolId != command.UserPoolId)
        {
            return DomainErrors.NoSuchDomain;
        }

        var updated = current with { ManagedLoginVersion = command.ManagedLoginVersion ?? current.ManagedLoginVersion };
        return await domains.UpdateDomainAsync(updated, cancellationToken).ConfigureAwait(false) ? updated : DomainErrors.NoSuchDomain;
    }

    public async Task<Result<Unit>> DeleteAsync(DeleteUserPoolDomain command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return await domains.DeleteDomainAsync(command.Domain, command.UserPoolId, cancellationToken).ConfigureAwait(false)
            ? Unit.Value
            : DomainErrors.NoSuchDomain;
    }

    /// <summary>DescribeUserPool: the pool with its domain prefix (UserPoolType.Domain).</summary>
    public async Task<Result<UserPool>> WithDomainAsync(Task<Result<UserPool>> described, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(described);
        var pool = await described.ConfigureAwait(false);
        if (!pool.IsSuccess)
        {
            return pool;
        }

        var domain = await domains.GetDomainOfPoolAsync(pool.Value.Id, cancellationToken).ConfigureAwait(false);
        return pool.Value with { Domain = domain?.Domain };
    }

    /// <summary>DeleteUserPool: Cognito refuses while the pool has a domain.</summary>
    public async Task<Result<Unit>> DeleteUserPoolAsync(
        string userPoolId, Func<CancellationToken, Task<Result<Unit>>> delete, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delete);
        return await domains.GetDomainOfPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false) is null
            ? await delete(cancellationToken).ConfigureAwait(false)
            : DomainErrors.PoolStillHasDomain;
    }

    /// <summary>ManagedLoginVersion is 1 (classic hosted UI) or 2 (managed login); certificates have no meaning here.</summary>
    private static AwsError? Refusal(bool customDomain, int? managedLoginVersion)
    {
        if (customDomain)
        {
            return DomainErrors.CustomDomainsAreConfiguration;
        }

        return managedLoginVersion is null or 1 or 2 ? null : DomainErrors.ManagedLoginVersion;
    }
}

public static class DomainErrors
{
    public static AwsError DomainTaken { get; } = UserPoolErrors.InvalidParameter("Domain already associated with another user pool.");

    public static AwsError PoolHasDomain { get; } = UserPoolErrors.InvalidParameter("User pool already has a domain configured.");

    public static AwsError NoSuchDomain { get; } = UserPoolErrors.InvalidParameter("No such domain or user pool exists.");

    public static AwsError PoolStillHasDomain { get; } =
        UserPoolErrors.InvalidParameter("User pool cannot be deleted. It has a domain configured that should be deleted first.");

    public static AwsError ManagedLoginVersion { get; } = UserPoolErrors.InvalidParameter("ManagedLoginVersion must be 1 or 2.");

    public static AwsError CustomDomainsAreConfiguration { get; } = UserPoolErrors.InvalidParameter(
        "CustomDomainConfig is not served by this broker: custom domains are set in Broker:UserPools:CustomDomains.");
}
