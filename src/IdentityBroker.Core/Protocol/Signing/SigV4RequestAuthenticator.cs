using IdentityBroker.Errors;

namespace IdentityBroker.Protocol.Signing;

/// <summary>SigV4 against the admin keys and the embedded STS's temporary credentials, refusals worded per protocol.</summary>
public sealed class SigV4RequestAuthenticator(SigV4Verifier verifier, ISigningPrincipalSource principals) : IRequestAuthenticator
{
    public async ValueTask<Result<SigningPrincipal>> AuthenticateAsync(SignedRequest request, SignatureDialect dialect, CancellationToken cancellationToken)
    {
        var verification = await verifier.VerifyAsync(request, principals, cancellationToken).ConfigureAwait(false);
        if (verification.Principal is { } principal)
        {
            return principal;
        }

        return dialect == SignatureDialect.Json ? SignatureErrors.ForJson(verification) : SignatureErrors.ForQuery(verification);
    }
}
