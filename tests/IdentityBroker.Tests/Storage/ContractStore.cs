using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

/// <summary>A store implementation under test, seen through each of its contracts.</summary>
public sealed class ContractStore : IAsyncDisposable
{
    private readonly object _store;

    private ContractStore(object store, IPoolStore pools, IIdentityStore identities, IKeyStore keys, IIamStore iam)
    {
        _store = store;
        Pools = pools;
        Identities = identities;
        Keys = keys;
        Iam = iam;
    }

    public IPoolStore Pools { get; }

    public IIdentityStore Identities { get; }

    public IKeyStore Keys { get; }

    public IIamStore Iam { get; }

    /// <summary>The SAML provider store, when the implementation has one (the SAML contract tests fail without it).</summary>
    public ISamlProviderStore? Saml => _store as ISamlProviderStore;

    /// <summary>The SAML sign-in sessions and hosted sign-outs, when the implementation keeps them (their contract tests fail without it).</summary>
    public ISamlSessionStore? SamlSessions => _store as ISamlSessionStore;

    /// <summary>The configuration apply, when the implementation has one (its contract tests fail without it).</summary>
    public IConfigurationStore? Configuration => _store as IConfigurationStore;

    /// <summary>The user-pool store, when the implementation has one (the user-pool contract tests fail without it).</summary>
    public IUserPoolStore? UserPools => _store as IUserPoolStore;

    /// <summary>The one-time code store, when the implementation has one (the code contract tests fail without it).</summary>
    public IdentityBroker.UserPools.Codes.IOneTimeCodeStore? Codes => _store as IdentityBroker.UserPools.Codes.IOneTimeCodeStore;

    /// <summary>The user-pool session store, when the implementation has one (the session contract tests fail without it).</summary>
    public IUserPoolSessionStore? UserPoolSessions => _store as IUserPoolSessionStore;

    /// <summary>The user store, when the implementation has one (the user contract tests fail without it).</summary>
    public IUserStore? Users => _store as IUserStore;

    /// <summary>The failed sign-ins of unknown names, when the implementation keeps them (their contract tests fail without it).</summary>
    public IdentityBroker.UserPools.SignIn.ISignInFailureStore? SignInFailures => _store as IdentityBroker.UserPools.SignIn.ISignInFailureStore;

    /// <summary>The identity lifecycle store, when the implementation has one (its contract tests fail without it).</summary>
    public IIdentityLifecycleStore? Lifecycle => _store as IIdentityLifecycleStore;

    /// <summary>
    /// The rate-limit counters as the store's registration provides them: the Redis store counts in Redis; the SQLite store
    /// registers the in-process counter (one node).
    /// </summary>
    public IdentityBroker.Limits.IRateCounter RateCounter => _store as IdentityBroker.Limits.IRateCounter ?? _localCounter;

    private readonly IdentityBroker.Limits.LocalRateCounter _localCounter = new();

    public static ContractStore Of<T>(T store)
        where T : class, IPoolStore, IIdentityStore, IKeyStore, IIamStore =>
        new(store, store, store, store, store);

    public async ValueTask DisposeAsync()
    {
        switch (_store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
