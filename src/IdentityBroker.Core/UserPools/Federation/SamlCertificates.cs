using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Federation.Upstream;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Federation;

/// <summary>GetSigningCertificate's input.</summary>
public sealed record GetSigningCertificate(string UserPoolId);

/// <summary>
/// The pool's SAML certificates as the API shows them: GetSigningCertificate (the certificate that signs the pool's SAML
/// requests, base64 DER as Cognito returns it) and the <c>ActiveEncryptionCertificate</c> that Cognito adds to a SAML
/// provider's ProviderDetails in its replies when the provider has <c>EncryptedResponses</c> "true" (API reference,
/// IdentityProviderType, "Describe response").
/// </summary>
public sealed class SamlCertificates(IUserPoolStore pools, SamlServiceProviderKeys keys)
{
    public const string ActiveEncryptionCertificate = "ActiveEncryptionCertificate";

    public async Task<Result<string>> GetSigningCertificateAsync(GetSigningCertificate command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        return SamlServiceProviderKeys.Base64(await keys.SigningAsync(pool, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The provider as a reply shows it: with the pool's encryption certificate when it asks for encrypted responses.</summary>
    public async Task<Result<PoolIdentityProvider>> ForReplyAsync(Task<Result<PoolIdentityProvider>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var result = await operation.ConfigureAwait(false);
        if (!result.IsSuccess || result.Value.ProviderType != IdentityProviderTypes.Saml || result.Value.Detail("EncryptedResponses") != "true"
            || await pools.GetUserPoolAsync(result.Value.UserPoolId, cancellationToken).ConfigureAwait(false) is not { } pool)
        {
            return result;
        }

        var details = new Dictionary<string, string>(result.Value.ProviderDetails, StringComparer.Ordinal)
        {
            [ActiveEncryptionCertificate] = SamlServiceProviderKeys.Base64(await keys.EncryptionAsync(pool, cancellationToken).ConfigureAwait(false)),
        };
        return result.Value with { ProviderDetails = details };
    }
}
