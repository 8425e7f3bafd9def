using IdentityBroker.Iam;
using IdentityBroker.Mapping;
using IdentityBroker.Pools;
using IdentityBroker.Storage;

namespace IdentityBroker.Server.Console;

/// <summary>How one pool uses a role, and whether the role's trust policy admits it (null problem: it does).</summary>
public sealed record RoleUseCheck(IdentityPool Pool, string Use, string? Problem);

public sealed record IamModel(ConsoleCall Call, IReadOnlyList<(IamRole Role, IReadOnlyList<RoleUseCheck> Uses)> Roles, IReadOnlyList<OidcProvider> Oidc,
    IReadOnlyList<SamlProvider> Saml, bool TrustChecked);

/// <summary>
/// IAM roles and providers, read-only (docs/console.md, "IAM"), each role with the trust check SetIdentityPoolRoles runs
/// (<see cref="RoleTrustCheck"/>) against every pool that uses it.
/// </summary>
internal static class IamPage
{
    public static async Task<IResult> ShowAsync(HttpContext http, IIamStore iam, ISamlProviderStore saml, IPoolStore pools, RoleTrustCheck trust)
    {
        var call = ConsoleCall.Of(http);
        var uses = new List<(IdentityPool Pool, RoleUse Use)>();
        string? next = null;
        do
        {
            var page = await pools.ListPoolsAsync(60, next, call.Aborted);
            foreach (var pool in page.Items)
            {
                uses.AddRange((await trust.RoleUsesAsync(pool, call.Aborted)).Select(u => (pool, u)));
            }

            next = page.NextToken;
        }
        while (next is not null);
        var roles = (await iam.ListRolesAsync(call.Aborted)).OrderBy(r => r.RoleName, StringComparer.Ordinal)
            .Select(role => (role, (IReadOnlyList<RoleUseCheck>)[.. uses.Where(u => u.Use.RoleArn == role.Arn)
                .Select(u => new RoleUseCheck(u.Pool, u.Use.Label, trust.Enabled ? trust.ProblemWith(u.Pool, u.Use, role) : null))]))
            .ToList();
        var model = new IamModel(call, roles, await iam.ListOidcProvidersAsync(call.Aborted), await saml.ListSamlProvidersAsync(call.Aborted), trust.Enabled);
        return ConsoleEndpoints.Page<IamView>(new { Model = model });
    }
}
