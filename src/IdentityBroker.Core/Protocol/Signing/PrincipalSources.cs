namespace IdentityBroker.Protocol.Signing;

/// <summary>A long-term access key pair, such as the broker's admin (developer) key.</summary>
public sealed record AccessKey(string AccessKeyId, string SecretAccessKey)
{
    public override string ToString() => $"AccessKey {{ AccessKeyId = {AccessKeyId} }}"; // never print the secret
}

/// <summary>
/// The admin keys from configuration: each signs as the account root (<c>arn:aws:iam::&lt;account&gt;:root</c>).
/// Long-term keys carry no session token, so a request with one does not match here.
/// </summary>
public sealed class StaticPrincipalSource : ISigningPrincipalSource
{
    private readonly Dictionary<string, SigningPrincipal> _principals = new(StringComparer.Ordinal);

    public StaticPrincipalSource(IEnumerable<AccessKey> keys, string accountId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        foreach (var key in keys)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(key.AccessKeyId);
            ArgumentException.ThrowIfNullOrWhiteSpace(key.SecretAccessKey);
            _principals[key.AccessKeyId] = new SigningPrincipal(key.AccessKeyId, key.SecretAccessKey, $"arn:aws:iam::{accountId}:root", accountId, IsAdmin: true);
        }
    }

    public ValueTask<SigningPrincipal?> FindAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken) =>
        ValueTask.FromResult(sessionToken is null && _principals.TryGetValue(accessKeyId, out var principal) ? principal : null);
}

/// <summary>Asks each source in order (e.g. admin keys, then the embedded STS's temporary credentials); the first match wins.</summary>
public sealed class CompositePrincipalSource(params ISigningPrincipalSource[] sources) : ISigningPrincipalSource
{
    private readonly ISigningPrincipalSource[] _sources = sources ?? throw new ArgumentNullException(nameof(sources));

    public async ValueTask<SigningPrincipal?> FindAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken)
    {
        foreach (var source in _sources)
        {
            var principal = await source.FindAsync(accessKeyId, sessionToken, cancellationToken).ConfigureAwait(false);
            if (principal is not null)
            {
                return principal;
            }
        }

        return null;
    }
}
