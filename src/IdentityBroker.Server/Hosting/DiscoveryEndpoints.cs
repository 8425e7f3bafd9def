using IdentityBroker.Storage;
using IdentityBroker.Tokens;
using IdentityBroker.UserPools.Tokens;

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

        // Each broker user pool is an issuer of its own, <issuer>/<userPoolId>, with its discovery document and keys under it.
        app.MapGet("/{userPoolId}" + UserPoolIssuer.OpenIdConfigurationPath, (string userPoolId, UserPoolDiscovery discovery, CancellationToken cancellationToken) =>
            UserPoolDocumentAsync(userPoolId, discovery.OpenIdConfigurationJsonAsync, cancellationToken));
        app.MapGet("/{userPoolId}" + UserPoolIssuer.JwksPath, (string userPoolId, UserPoolDiscovery discovery, CancellationToken cancellationToken) =>
            UserPoolDocumentAsync(userPoolId, discovery.JwksJsonAsync, cancellationToken));

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

    /// <summary>A pool's document; 404 with a JSON message for a pool that does not exist, 503 while the store is down.</summary>
    private static async Task<IResult> UserPoolDocumentAsync(
        string userPoolId, Func<string, CancellationToken, Task<string?>> document, CancellationToken cancellationToken)
    {
        try
        {
            var body = UserPoolIssuer.IsPoolId(userPoolId) ? await document(userPoolId, cancellationToken) : null;
            return body is not null
                ? Json(body)
                : Results.Text($$"""{"message":"User pool {{(UserPoolIssuer.IsPoolId(userPoolId) ? userPoolId : "(not shown)")}} does not exist."}""",
                    "application/json", statusCode: 404);
        }
        catch (StoreUnavailableException)
        {
            return Results.Text("store unavailable", statusCode: 503);
        }
    }

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
