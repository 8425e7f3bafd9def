using IdentityBroker.Storage;
using IdentityBroker.UserPools.Domains;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.Server.OAuth;

/// <summary>
/// The pool domains' host routing. <see cref="MapUserPoolDomain"/> is the group every domain endpoint is mapped in: its
/// endpoints match only the domain host patterns (<c>*.&lt;suffix&gt;</c> and the custom domains; routing prefers them to
/// the same path on other hosts), and answer 404 for a host that names no pool. Inside, <see cref="UserPoolDomain"/> is the
/// pool the Host names.
/// </summary>
public static class DomainRouting
{
    private static readonly object PoolKey = new();

    public static RouteGroupBuilder MapUserPoolDomain(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The patterns come from configuration as bound, without resolving services here: the options are validated (and
        // the store opened) when the host starts, not when the app is built.
        var options = new UserPoolDomainOptions();
        app.ServiceProvider.GetRequiredService<IConfiguration>().GetSection(UserPoolDomainOptions.SectionName).Bind(options);
        var group = app.MapGroup(string.Empty);
        group.RequireHost([.. DomainHosts.HostPatterns(options)]);
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var hosts = http.RequestServices.GetRequiredService<DomainHosts>();
            UserPool? pool;
            try
            {
                pool = await hosts.PoolOfHostAsync(http.Request.Host.Host, http.RequestAborted);
            }
            catch (StoreUnavailableException)
            {
                return Results.Text("store unavailable", statusCode: 503);
            }

            if (pool is null)
            {
                return Results.Text("No user pool is served at this domain.", statusCode: 404);
            }

            http.Items[PoolKey] = pool;
            return await next(context);
        });
        return group;
    }

    /// <summary>The pool whose domain the request's Host names; null outside the <see cref="MapUserPoolDomain"/> group.</summary>
    public static UserPool? UserPoolDomain(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(PoolKey, out var pool) ? pool as UserPool : null;
    }

    /// <summary>The domain's own origin as the browser sees it (scheme and Host of the request).</summary>
    public static string DomainOrigin(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Scheme + "://" + context.Request.Host.Value;
    }
}
