using System.Text.Json;
using IdentityBroker.UserPools.Sessions;
using StackExchange.Redis;

namespace IdentityBroker.Storage.Redis;

public sealed partial class RedisBrokerStore : IUserPoolSessionStore
{
    public Task<bool> TryCreateSessionAsync(UserPoolSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var keys = _keys.UserPool(session.UserPoolId);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisSessionScripts.Create,
            [keys.Session(session.SessionId), keys.UserSessions(session.Sub)],
            [session.SessionId, JsonSerializer.Serialize(session, StoreJsonContext.Default.UserPoolSession), session.Revoked ? "1" : "0",
                session.ExpiresAt.ToUnixTimeMilliseconds(), session.CreatedAt.ToUnixTimeMilliseconds()]).ConfigureAwait(false) == 1);
    }

    public Task<UserPoolSession?> GetSessionAsync(string userPoolId, string sessionId, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var fields = await Db.HashGetAsync(_keys.UserPool(userPoolId).Session(sessionId), ["doc", "revoked"]).ConfigureAwait(false);
            if (fields[0].IsNull)
            {
                return null;
            }

            var session = JsonSerializer.Deserialize((string)fields[0]!, StoreJsonContext.Default.UserPoolSession)
                ?? throw new InvalidDataException("A stored user pool session document is null.");
            return session with { Revoked = fields[1] == "1" };
        });

    public Task<bool> TryReplaceRefreshTokenAsync(UserPoolSession replacement, string expectedRefreshTokenHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        return GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisSessionScripts.ReplaceRefreshToken,
            [_keys.UserPool(replacement.UserPoolId).Session(replacement.SessionId)],
            [expectedRefreshTokenHash, JsonSerializer.Serialize(replacement with { Revoked = false }, StoreJsonContext.Default.UserPoolSession)])
            .ConfigureAwait(false) == 1);
    }

    public Task<bool> RevokeSessionAsync(string userPoolId, string sessionId, CancellationToken cancellationToken) =>
        GuardAsync(async () => (long)await Db.ScriptEvaluateAsync(
            RedisSessionScripts.Revoke, [_keys.UserPool(userPoolId).Session(sessionId)]).ConfigureAwait(false) == 1);

    public Task<int> RevokeUserSessionsAsync(string userPoolId, string sub, CancellationToken cancellationToken)
    {
        var keys = _keys.UserPool(userPoolId);
        return GuardAsync(async () => (int)(long)await Db.ScriptEvaluateAsync(
            RedisSessionScripts.RevokeUser, [keys.UserSessions(sub)], [keys.SessionPrefix]).ConfigureAwait(false));
    }
}
