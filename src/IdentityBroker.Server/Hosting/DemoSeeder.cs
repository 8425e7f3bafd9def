using System.Security.Cryptography;
using IdentityBroker.Iam;
using IdentityBroker.Identities;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using Microsoft.Extensions.Options;
using IdentityBroker.Observability;

namespace IdentityBroker.Server.Hosting;

/// <summary>
/// On an empty store: a demo pool that allows guests, with a demo role for each auth type whose trust policy is the
/// one Cognito documents, so the README's first example gets guest credentials at once. The pool id goes to
/// <c>demo-pool-id</c> in the data directory.
/// </summary>
internal sealed partial class DemoSeeder(IPoolStore pools, IIamStore iam, IdentityIds ids, IOptions<BrokerOptions> options, TimeProvider time, ILogger<DemoSeeder> logger)
{
    public const string PoolIdFile = "demo-pool-id";
    public const string AuthenticatedRoleName = "DemoAuthenticatedRole";
    public const string UnauthenticatedRoleName = "DemoUnauthenticatedRole";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SeedDemoPool || await pools.CountPoolsAsync(cancellationToken) > 0)
        {
            return;
        }

        var poolId = ids.NewId();
        var authenticated = await EnsureRoleAsync(AuthenticatedRoleName, poolId, "authenticated", cancellationToken);
        var unauthenticated = await EnsureRoleAsync(UnauthenticatedRoleName, poolId, "unauthenticated", cancellationToken);
        await pools.CreatePoolAsync(new IdentityPool
        {
            IdentityPoolId = poolId,
            IdentityPoolName = "DemoPool",
            AllowUnauthenticatedIdentities = true,
            AllowClassicFlow = true,
            Roles = new Dictionary<string, string> { [RoleTypes.Authenticated] = authenticated.Arn, [RoleTypes.Unauthenticated] = unauthenticated.Arn },
            CreationDate = time.GetUtcNow(),
        }, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(options.Value.DataDirectory, PoolIdFile), poolId + "\n", cancellationToken);
        LogSeeded(logger, poolId);
    }

    private async Task<IamRole> EnsureRoleAsync(string name, string poolId, string amr, CancellationToken cancellationToken)
    {
        var role = new IamRole
        {
            RoleName = name,
            RoleId = "AROA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17),
            Arn = $"arn:aws:iam::{options.Value.AccountId}:role/{name}",
            AssumeRolePolicyDocument = TrustPolicy(poolId, amr),
            Description = $"Demo role for {amr} identities of the demo pool",
            CreateDate = time.GetUtcNow(),
            InlinePolicies = new Dictionary<string, string> { ["demo"] = DemoPermissions },
        };
        if (!await iam.TryCreateRoleAsync(role, cancellationToken))
        {
            // A role of that name survived an earlier demo pool: trust the new pool instead.
            var existing = await iam.GetRoleAsync(name, cancellationToken) ?? role;
            role = existing with { AssumeRolePolicyDocument = role.AssumeRolePolicyDocument };
            await iam.UpdateRoleAsync(role, cancellationToken);
        }

        return role;
    }

    /// <summary>The trust policy the Cognito developer guide shows for identity-pool roles.</summary>
    private static string TrustPolicy(string poolId, string amr) => """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"POOL_ID"},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"AMR"}}}]}
        """.Replace("POOL_ID", poolId, StringComparison.Ordinal).Replace("AMR", amr, StringComparison.Ordinal);

    private const string DemoPermissions = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mobileanalytics:PutEvents","cognito-sync:*"],"Resource":"*"}]}
        """;

    [LoggerMessage(EventId = LogEvents.DemoPoolSeeded, Level = LogLevel.Warning, Message = "Seeded the demo identity pool {PoolId} (guests allowed; roles DemoAuthenticatedRole, DemoUnauthenticatedRole)")]
    private static partial void LogSeeded(ILogger logger, string poolId);
}
