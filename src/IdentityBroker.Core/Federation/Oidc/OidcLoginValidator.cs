using System.Runtime.CompilerServices;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Iam;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Pools;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Federation.Oidc;

/// <summary>
/// Validates ID tokens of the generic OpenID Connect providers a pool lists in OpenIdConnectProviderARNs; the Logins key is
/// the provider URL without its scheme (Cognito Identity API reference, Logins). The token is read by <see cref="JwtReader"/> with the provider's row of
/// <see cref="JwtRules"/>; failures are NotAuthorizedException in Cognito's words and never carry the token.
/// </summary>
public sealed class OidcLoginValidator : ILoginValidator
{
    private readonly OidcProviderDirectory _directory;
    private readonly JwtReader _reader;
    private readonly OidcOptions _options;

    // One rule per provider snapshot (the directory reloads every few seconds): no rule built per request.
    private readonly ConditionalWeakTable<OidcProvider, JwtRule> _rules = [];

    public OidcLoginValidator(OidcProviderDirectory directory, JwtReader reader, IOptions<BrokerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directory = directory;
        _reader = reader;
        _options = options.Value.Oidc;
    }

    public async ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken) =>
        await ProviderForAsync(pool, providerKey, cancellationToken) is not null;

    public async ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var provider = await ProviderForAsync(pool, providerKey, cancellationToken);
        if (provider is null)
        {
            return CognitoErrors.UnsupportedProvider();
        }

        var read = await _reader.ReadAsync(token, _rules.GetValue(provider, p => JwtRules.OidcProvider(p, _options)), cancellationToken);
        if (read.Token is not { } jwt)
        {
            return LoginTokenErrors.From(read.Failure!, reason => CognitoErrors.InvalidLoginToken(reason ?? "Couldn't retrieve verification keys."));
        }

        return new ValidatedLogin(providerKey, jwt.Subject, $"{provider.Arn}:OIDC:{jwt.Subject}", jwt.ClaimMap()) { ExpiresAt = jwt.ExpiresAt };
    }

    private async Task<OidcProvider?> ProviderForAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        foreach (var arn in pool.OpenIdConnectProviderARNs ?? [])
        {
            var provider = await _directory.FindByArnAsync(arn, cancellationToken);
            if (provider is not null && string.Equals(provider.ProviderKey, providerKey, StringComparison.Ordinal))
            {
                return provider;
            }
        }

        return null;
    }
}
