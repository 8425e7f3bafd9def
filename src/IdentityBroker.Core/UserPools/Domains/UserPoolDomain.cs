namespace IdentityBroker.UserPools.Domains;

/// <summary>
/// A user pool's domain as CreateUserPoolDomain makes it: the prefix <see cref="Domain"/> names the host
/// <c>&lt;prefix&gt;.&lt;Broker:UserPools:DomainSuffix&gt;</c>. One per pool, and a prefix names one pool.
/// </summary>
/// <param name="ManagedLoginVersion">1 (the classic hosted UI) or 2 (managed login), as given; Cognito's default is 1.</param>
public sealed record UserPoolDomain(string Domain, string UserPoolId, int ManagedLoginVersion, DateTimeOffset CreationDate);

public enum DomainCreation
{
    Created,

    /// <summary>Another pool (or this one) already holds the prefix.</summary>
    DomainTaken,

    /// <summary>The pool already has a domain.</summary>
    PoolHasDomain,
}

/// <summary>Where the pools' domains live: by prefix, and by pool. Creating checks both uniquenesses atomically.</summary>
public interface IUserPoolDomainStore
{
    Task<DomainCreation> TryCreateDomainAsync(UserPoolDomain domain, CancellationToken cancellationToken);

    Task<UserPoolDomain?> GetDomainAsync(string domain, CancellationToken cancellationToken);

    Task<UserPoolDomain?> GetDomainOfPoolAsync(string userPoolId, CancellationToken cancellationToken);

    /// <returns>False when the domain does not exist or belongs to another pool.</returns>
    Task<bool> UpdateDomainAsync(UserPoolDomain domain, CancellationToken cancellationToken);

    /// <returns>False when the domain does not exist or belongs to another pool.</returns>
    Task<bool> DeleteDomainAsync(string domain, string userPoolId, CancellationToken cancellationToken);
}
