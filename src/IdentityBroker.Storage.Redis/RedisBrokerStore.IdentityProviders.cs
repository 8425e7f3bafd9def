using System.Text.Json;
using IdentityBroker.UserPools.Federation;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

/// <remarks>
/// A user pool's identity providers live on the pool's <c>{userpool:&lt;id&gt;}</c> slot next to its alive marker: a
/// provider is created only while the pool is alive, and deleting the pool deletes their keys.
/// </remarks>
public sealed partial class RedisBrokerStore : IUserPoolIdentityProviderStore
{
    public Task<ProviderWrite> TryCreateProviderAsync(PoolIdentityProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var keys = _keys.UserPool(provider.UserPoolId);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisIdentityProviderScripts.Create,
            [keys.Alive, keys.ProviderDocuments, keys.ProviderOrder, keys.ProviderSequence, keys.ProviderIdentifiers],
            ProviderArguments(provider)).ConfigureAwait(false) switch
        {
            1 => ProviderWrite.Written,
            0 => ProviderWrite.NameTaken,
            -2 => ProviderWrite.IdentifierTaken,
            _ => ProviderWrite.NoPool,
        });
    }

    public Task<PoolIdentityProvider?> GetProviderAsync(string userPoolId, string providerName, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var document = await Db.HashGetAsync(_keys.UserPool(userPoolId).ProviderDocuments, providerName).ConfigureAwait(false);
            return document.IsNull ? null : DeserializeProvider(document!);
        });

    public Task<PoolIdentityProvider?> FindProviderByIdentifierAsync(string userPoolId, string idpIdentifier, CancellationToken cancellationToken)
    {
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(async () =>
        {
            var document = await Db.ScriptEvaluateAsync(
                RedisIdentityProviderScripts.FindByIdentifier, [keys.ProviderDocuments, keys.ProviderIdentifiers], [idpIdentifier]).ConfigureAwait(false);
            return document.IsNull ? null : DeserializeProvider((string)document!);
        });
    }

    public Task<ProviderWrite> UpdateProviderAsync(PoolIdentityProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var keys = _keys.UserPool(provider.UserPoolId);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisIdentityProviderScripts.Update, [keys.ProviderDocuments, keys.ProviderIdentifiers], ProviderArguments(provider)).ConfigureAwait(false) switch
        {
            1 => ProviderWrite.Written,
            -2 => ProviderWrite.IdentifierTaken,
            _ => ProviderWrite.NotFound,
        });
    }

    public Task<bool> DeleteProviderAsync(string userPoolId, string providerName, CancellationToken cancellationToken)
    {
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisIdentityProviderScripts.Delete, [keys.ProviderDocuments, keys.ProviderOrder, keys.ProviderIdentifiers], [providerName]).ConfigureAwait(false) == 1);
    }

    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    public Task<Page<PoolIdentityProvider>> ListProvidersAsync(string userPoolId, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = PageCursor.Decode(PageCursorKind.UserPoolIdentityProviders, nextToken);
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(async () =>
        {
            var rows = (RedisResult[])(await Db.ScriptEvaluateAsync(
                RedisScripts.ListPools, [keys.ProviderDocuments, keys.ProviderOrder], [Text(after), Text(limit + 1L)]).ConfigureAwait(false))!;
            var items = rows.Take(limit).Select(r => DeserializeProvider((string)((RedisResult[])r!)[2]!)).ToList();
            var token = rows.Length > limit
                ? PageCursor.Encode(PageCursorKind.UserPoolIdentityProviders, Position(((RedisResult[])rows[limit - 1]!)[1]))
                : null;
            return new Page<PoolIdentityProvider>(items, token);
        });
    }

    private static RedisValue[] ProviderArguments(PoolIdentityProvider provider) =>
        [provider.ProviderName, JsonSerializer.Serialize(provider, StoreJsonContext.Default.PoolIdentityProvider),
         .. provider.IdpIdentifiers.Select(i => (RedisValue)i)];

    private static PoolIdentityProvider DeserializeProvider(string document) =>
        JsonSerializer.Deserialize(document, StoreJsonContext.Default.PoolIdentityProvider)
        ?? throw new InvalidDataException("A stored identity provider document is null.");
}
