using IdentityBroker.Storage;
using IdentityBroker.Tokens;

namespace IdentityBroker.Server.Hosting;

/// <summary>OIDC discovery for the broker's own tokens, and the health probes.</summary>
internal static class DiscoveryEndpoints
{
    public static void MapDiscoveryAndHealth(this WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", (DiscoveryDocuments documents) => Json(documents.OpenIdConfigurationJson()));
        app.MapGet(DiscoveryDocuments.JwksPath, (DiscoveryDocuments documents) => Json(documents.JwksJson()));

        // Cognito publishes its keys at this literal path (notes §4); clients written for Cognito may use it.
        app.MapGet("/.well-known/jwks_uri", (DiscoveryDocuments documents) => Json(documents.JwksJson()));

        app.MapGet("/health/live", () => Results.Text("ok"));
        app.MapGet("/health/ready", async (BrokerReadiness readiness, IPoolStore pools, CancellationToken cancellationToken) =>
        {
            if (!readiness.IsReady)
            {
                return Results.Text("starting", statusCode: 503);
            }

            try
            {
                await pools.CountPoolsAsync(cancellationToken);
                return Results.Text("ready");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Text("store unavailable", statusCode: 503);
            }
        });
    }

    private static IResult Json(string body) => Results.Text(body, "application/json");
}

/// <summary>Set once start-up work (keys, demo pool, issuer) is done.</summary>
internal sealed class BrokerReadiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}
