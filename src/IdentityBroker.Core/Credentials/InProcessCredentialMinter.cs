using IdentityBroker.Sts;

namespace IdentityBroker.Credentials;

/// <summary>
/// Mints with the embedded STS in-process: the same checks as over HTTP, without the loopback round trip and without a token
/// text at all — the embedded STS takes the claims the broker built (<see cref="MintRequest.WebIdentity"/>), so nothing is
/// signed for it and nothing re-verified.
/// </summary>
public sealed class InProcessCredentialMinter(EmbeddedSts sts) : ICredentialMinter
{
    public async Task<MintResult> MintAsync(MintRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = new WebIdentityRequest(request.RoleArn, request.RoleSessionName, null, request.DurationSeconds, request.Policy, request.PolicyArns);
        var result = await sts.AssumeRoleWithBrokerClaimsAsync(call, request.WebIdentity, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? MintResult.Ok(result.Value.Credentials) : MintResult.Fail(result.Error!.Type, result.Error.Message);
    }
}
