using IdentityBroker.Server.Messages;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Server.Console;

public sealed record UserPoolsModel(ConsoleCall Call, IReadOnlyList<UserPool> Pools);

public sealed record UserPoolModel(ConsoleCall Call, UserPool Pool, IReadOnlyList<PoolUser> Users, IReadOnlyList<UserPoolGroup> Groups,
    IReadOnlyList<UserPoolClient> Clients, IReadOnlyList<OutboxMessage> Outbox);

/// <summary>User pools, read-only (docs/console.md, "User pools"): users, groups with role and precedence, clients and the dev outbox.</summary>
internal static class UserPoolPages
{
    private const int PageSize = 60;

    public static async Task<IResult> ListAsync(HttpContext http, IUserPoolStore pools)
    {
        var call = ConsoleCall.Of(http);
        var page = await pools.ListUserPoolsAsync(PageSize, null, call.Aborted);
        return ConsoleEndpoints.Page<UserPoolsView>(new { Model = new UserPoolsModel(call, page.Items) });
    }

    public static async Task<IResult> ShowAsync(HttpContext http, string id, IUserPoolStore pools, IUserStore users, IUserPoolGroupStore groups, DevOutbox outbox)
    {
        var call = ConsoleCall.Of(http);
        if (id.Length > 55 || await pools.GetUserPoolAsync(id, call.Aborted) is not { } pool)
        {
            return ConsoleEndpoints.Message("Not found", $"There is no user pool {id}.", StatusCodes.Status404NotFound);
        }

        var model = new UserPoolModel(call, pool,
            (await users.ListUsersAsync(id, PageSize, null, null, call.Aborted)).Items,
            [.. (await groups.ListGroupsAsync(id, PageSize, null, call.Aborted)).Items.OrderBy(g => g.Precedence ?? int.MaxValue)],
            (await pools.ListClientsAsync(id, PageSize, null, call.Aborted)).Items,
            outbox.Read(id, null));
        return ConsoleEndpoints.Page<UserPoolView>(new { Model = model });
    }

    public static string UserPoolPath(string id) => "/console/userpools/" + Uri.EscapeDataString(id);
}
