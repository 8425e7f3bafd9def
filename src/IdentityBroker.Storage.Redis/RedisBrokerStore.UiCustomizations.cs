using System.Text.Json;
using IdentityBroker.UserPools.HostedUi;

namespace IdentityBroker.Storage.Redis;

/// <remarks>
/// One hash per pool on the pool's slot (<c>ui:docs</c>, field = client id or ALL), written only while the pool's alive
/// marker is there; DeleteUserPoolAsync deletes the hash after the marker, so no customization outlives its pool.
/// </remarks>
public sealed partial class RedisBrokerStore : IUiCustomizationStore
{
    /// <summary>KEYS: alive, ui docs. ARGV: client id, document.</summary>
    private const string PutWhileAlive = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        return 1
        """;

    public Task PutUiCustomizationAsync(UiCustomization customization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customization);
        var keys = _keys.UserPool(customization.UserPoolId);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(PutWhileAlive, [keys.Alive, keys.UiCustomizations],
            [customization.ClientId, JsonSerializer.Serialize(customization, StoreJsonContext.Default.UiCustomization)]).ConfigureAwait(false));
    }

    public Task<UiCustomization?> GetUiCustomizationAsync(string userPoolId, string clientId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var document = await Db.HashGetAsync(_keys.UserPool(userPoolId).UiCustomizations, clientId).ConfigureAwait(false);
            return document.IsNull ? null : JsonSerializer.Deserialize((string)document!, StoreJsonContext.Default.UiCustomization);
        });

    public Task<bool> DeleteUiCustomizationAsync(string userPoolId, string clientId, CancellationToken cancellationToken) =>
        GuardAsync(() => Db.HashDeleteAsync(_keys.UserPool(userPoolId).UiCustomizations, clientId));
}
