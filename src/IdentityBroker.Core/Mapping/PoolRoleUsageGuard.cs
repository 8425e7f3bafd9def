using IdentityBroker.Errors;
using IdentityBroker.Iam;
using IdentityBroker.Iam.Roles;
using IdentityBroker.Storage;

namespace IdentityBroker.Mapping;

/// <summary>
/// Embedded mode: an IAM change to a role that an identity pool hands out is checked against every such use, with the
/// same trust evaluation as SetIdentityPoolRoles (<see cref="RoleTrustCheck"/>).
/// </summary>
public sealed class PoolRoleUsageGuard(IPoolStore pools, RoleTrustCheck check) : IRoleUsageGuard
{
    private const int PageSize = 60;

    public async Task<AwsError?> CheckAsync(IamRole role, bool deleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (!check.Enabled)
        {
            return null;
        }

        string? next = null;
        do
        {
            var page = await pools.ListPoolsAsync(PageSize, next, cancellationToken).ConfigureAwait(false);
            foreach (var pool in page.Items)
            {
                foreach (var use in await check.RoleUsesAsync(pool, cancellationToken).ConfigureAwait(false))
                {
                    if (use.RoleArn != role.Arn)
                    {
                        continue;
                    }

                    if (deleted)
                    {
                        return new AwsError("DeleteConflict", $"Cannot delete entity, role {role.RoleName} is {use.Label} of identity pool {pool.IdentityPoolId}.", 409);
                    }

                    if (check.ProblemWith(pool, use, role) is { } problem)
                    {
                        return new AwsError("ValidationError", $"The new trust policy would break identity pool {pool.IdentityPoolId}: {problem}", 400);
                    }
                }
            }

            next = page.NextToken;
        }
        while (next is not null);
        return null;
    }
}
