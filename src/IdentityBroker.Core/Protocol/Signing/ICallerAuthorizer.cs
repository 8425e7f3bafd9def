using IdentityBroker.Errors;

namespace IdentityBroker.Protocol.Signing;

/// <summary>
/// What a verified caller may do. Admin keys may do everything; temporary credentials issued by the embedded STS may do what
/// their session's effective policy allows — so a guest's credentials can never administer the broker.
/// </summary>
public interface ICallerAuthorizer
{
    /// <param name="caller">The verified signer.</param>
    /// <param name="request">The signed request (it carries the session token).</param>
    /// <param name="action">The IAM action, e.g. <c>cognito-identity:CreateIdentityPool</c>.</param>
    /// <param name="resource">The resource ARN the action is checked against.</param>
    /// <param name="dialect">How a refusal is worded.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>Null when allowed; otherwise the AWS access-denied error.</returns>
    ValueTask<AwsError?> AuthorizeAsync(
        SigningPrincipal caller, SignedRequest request, string action, string resource, SignatureDialect dialect, CancellationToken cancellationToken);
}
