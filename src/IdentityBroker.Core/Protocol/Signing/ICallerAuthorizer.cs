using IdentityBroker.Errors;

namespace IdentityBroker.Protocol.Signing;

/// <summary>
/// What a verified caller may do. Admin keys may do everything; temporary credentials issued by the embedded STS may do what
/// their session's effective policy allows on each resource the call acts on — so a guest's credentials can never administer
/// the broker, and a Deny naming one resource stops calls on that resource.
/// </summary>
public interface ICallerAuthorizer
{
    /// <param name="caller">The verified signer.</param>
    /// <param name="request">The signed request (it carries the session token and the source address).</param>
    /// <param name="action">The IAM action, e.g. <c>cognito-identity:DeleteIdentityPool</c>.</param>
    /// <param name="resources">The resources the call acts on; every one must be allowed.</param>
    /// <param name="dialect">How a refusal is worded.</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    /// <returns>Null when allowed; otherwise the AWS access-denied error naming the refused resource.</returns>
    ValueTask<AwsError?> AuthorizeAsync(
        SigningPrincipal caller, SignedRequest request, string action, ResourceLookup resources, SignatureDialect dialect, CancellationToken cancellationToken);
}

/// <summary>
/// A request whose signature verified, waiting to be authorized: the operation calls <see cref="AuthorizeAsync"/> once it
/// has bound its input and so knows which resources it acts on, and runs only when that returns null.
/// </summary>
public sealed class VerifiedCall(ICallerAuthorizer authorizer, SigningPrincipal caller, SignedRequest request, SignatureDialect dialect)
{
    public SigningPrincipal Caller => caller;

    public ValueTask<AwsError?> AuthorizeAsync(string action, ResourceLookup resources, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(caller, request, action, resources, dialect, cancellationToken);
}
