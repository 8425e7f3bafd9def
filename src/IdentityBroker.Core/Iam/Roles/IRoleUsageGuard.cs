using IdentityBroker.Errors;

namespace IdentityBroker.Iam.Roles;

/// <summary>
/// Refuses an IAM change that would make a role the broker hands out unusable (docs/role-mapping.md, "Operator checks"): the
/// operator's signed call is answered with the pool, the role's use and the failing condition, instead
/// of the change surfacing later as Cognito's opaque "Check assigned IAM roles for this pool.".
/// </summary>
public interface IRoleUsageGuard
{
    /// <param name="role">The role as it would be after the change.</param>
    /// <param name="deleted">True when the role is being deleted.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Null when every pool that uses the role would still work.</returns>
    Task<AwsError?> CheckAsync(IamRole role, bool deleted, CancellationToken cancellationToken);
}
