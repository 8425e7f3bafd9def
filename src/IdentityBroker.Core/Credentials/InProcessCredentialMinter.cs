using IdentityBroker.Sts;

namespace IdentityBroker.Credentials;

/// <summary>
/// Mints with the embedded STS in-process: the same checks as over HTTP, without the loopback round trip and, for a token the
/// broker has just signed here (<see cref="MintRequest.SignedToken"/>), without re-reading and re-verifying that token.
/// </summary>
public sealed class InProcessCredentialMinter(EmbeddedSts sts) : ICredentialMinter
{
    public async Task<MintResult> MintAsync(MintRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = new WebIdentityRequest(
            request.RoleArn, request.RoleSessionName, request.WebIdentityToken, request.DurationSeconds, request.Policy, request.PolicyArns);
        var result = request.SignedToken is { } signed
            ? await sts.AssumeRoleWithSignedTokenAsync(call, signed, cancellationToken).ConfigureAwait(false)
            : await sts.AssumeRoleWithWebIdentityAsync(call, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? MintResult.Ok(result.Value.Credentials) : MintResult.Fail(result.Error!.Type, result.Error.Message);
    }
}
