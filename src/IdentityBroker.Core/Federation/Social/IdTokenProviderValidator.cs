using IdentityBroker.Errors;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Pools;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Federation.Social;

/// <summary>
/// A public provider whose login is an ID token listed in a pool's SupportedLoginProviders, the ids after its key being the
/// accepted audiences: Google (<c>accounts.google.com</c>), Sign in with Apple (<c>appleid.apple.com</c>) and Facebook
/// Limited Login. Each provider is a row of <see cref="JwtRules"/>; the token is read by <see cref="JwtReader"/>. Keys
/// that cannot be fetched are ExternalServiceException, every refusal NotAuthorizedException.
/// </summary>
public sealed class IdTokenProviderValidator : ILoginValidator
{
    private readonly string _providerKey;
    private readonly Func<IReadOnlyList<string>, JwtRule> _rule;
    private readonly JwtReader _reader;

    private IdTokenProviderValidator(string providerKey, Func<IReadOnlyList<string>, JwtRule> rule, JwtReader reader)
    {
        _providerKey = providerKey;
        _rule = rule;
        _reader = reader;
    }

    /// <summary>Google: <c>iss</c> with or without its scheme (Google issues both), keys by discovery, <c>aud</c> a client id.</summary>
    public static IdTokenProviderValidator Google(JwtReader reader, IOptions<BrokerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (google, oidc) = (options.Value.Providers.Google, options.Value.Oidc);
        return new(SupportedLogins.Google, ids => JwtRules.Google(google, ids, oidc), reader);
    }

    /// <summary>Apple: <c>iss</c> exactly <c>https://appleid.apple.com</c>, keys at its JWKS URL, <c>aud</c> a Services/Bundle id.</summary>
    public static IdTokenProviderValidator Apple(JwtReader reader, IOptions<BrokerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (apple, oidc) = (options.Value.Providers.Apple, options.Value.Oidc);
        return new(SupportedLogins.Apple, ids => JwtRules.Apple(apple, ids, oidc), reader);
    }

    /// <summary>Facebook Limited Login (a JWT; Facebook access tokens go to the Graph API instead, <see cref="FacebookLoginValidator"/>).</summary>
    internal static IdTokenProviderValidator FacebookLimitedLogin(JwtReader reader, IOptions<BrokerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (facebook, oidc) = (options.Value.Providers.Facebook, options.Value.Oidc);
        return new(SupportedLogins.Facebook, ids => JwtRules.FacebookLimitedLogin(facebook, ids, oidc), reader);
    }

    public ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SupportedLogins.Lists(pool, providerKey, _providerKey));

    public async ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var appIds = SupportedLogins.AppIds(pool, _providerKey);
        if (!SupportedLogins.Lists(pool, providerKey, _providerKey) || appIds.Count == 0)
        {
            return CognitoErrors.UnsupportedProvider();
        }

        var read = await _reader.ReadAsync(token, _rule(appIds), cancellationToken);
        return read.Token is { } jwt
            ? SupportedLogins.Login(_providerKey, jwt.Subject, jwt.ClaimMap(), jwt.ExpiresAt)
            : LoginTokenErrors.From(read.Failure!, _ => CognitoErrors.ExternalService($"Couldn't retrieve verification keys from {_providerKey}."));
    }
}
