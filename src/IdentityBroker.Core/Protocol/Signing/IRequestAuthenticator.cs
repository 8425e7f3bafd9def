using IdentityBroker.Errors;

namespace IdentityBroker.Protocol.Signing;

/// <summary>The AWS protocol family a refusal is worded for (JSON 1.1 and Query use different error names).</summary>
public enum SignatureDialect
{
    Json,
    Query,
}

/// <summary>Verifies a request's SigV4 signature against the keys the broker knows; refusals come back as AWS errors.</summary>
public interface IRequestAuthenticator
{
    ValueTask<Result<SigningPrincipal>> AuthenticateAsync(SignedRequest request, SignatureDialect dialect, CancellationToken cancellationToken);
}
