using IdentityBroker.Storage;
using IdentityBroker.Tokens;

namespace IdentityBroker.Server.Hosting;

/// <summary>OIDC discovery for the broker's own tokens, and the health probes.</summary>
internal static class DiscoveryEndpoints
{
    public static void MapDiscoveryAndHealth(this WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", (DiscoveryDocuments documents) => Json(documents.OpenIdConfigurationJson()));
        app.MapGet(DiscoveryDocuments.JwksPath, Jwks);

        // Cognito publishes its keys at this literal path; clients written for Cognito may use it.
        app.MapGet("/.well-known/jwks_uri", Jwks);

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

    /// <summary>The keys are in the store: until start-up has loaded them (Redis down at start), 503 like the probe.</summary>
    private static IResult Jwks(DiscoveryDocuments documents, BrokerReadiness readiness) =>
        readiness.IsStateLoaded ? Json(documents.JwksJson()) : Results.Text("starting", statusCode: 503);
}

/// <summary>Ready once the start-up state (signing keys, demo pool) is loaded and the issuer is known.</summary>
internal sealed class BrokerReadiness
{
    private volatile bool _stateLoaded;
    private volatile bool _listening;

    public bool IsReady => _stateLoaded && _listening;

    /// <summary>Signing keys and demo pool are loaded: requests can be served (false while Redis was down at start).</summary>
    public bool IsStateLoaded => _stateLoaded;

    public void MarkStateLoaded() => _stateLoaded = true;

    public void MarkListening() => _listening = true;
}
