using System.Text.Json;
using IdentityBroker;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Tokens;
using IdentityBroker.UserPools.Groups;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;
using Microsoft.Extensions.Options;

// Usage: IdentityBroker.TokenMint <data directory> <issuer URL> <user pool id> <client id> <sub> <username> [<group>:<precedence>:<role ARN>]...
// Prints {"IdToken","AccessToken","RefreshToken","ExpiresIn"} for a new session, written where the broker reads it.
if (args.Length < 6)
{
    await Console.Error.WriteLineAsync("usage: IdentityBroker.TokenMint <dataDir> <issuer> <userPoolId> <clientId> <sub> <username> [group:precedence:roleArn]...");
    return 2;
}

var (dataDirectory, issuerUrl, userPoolId, clientId, sub, username) = (args[0], args[1], args[2], args[3], args[4], args[5]);
var options = Options.Create(new BrokerOptions { Issuer = issuerUrl });
using var store = new SqliteBrokerStore(Path.Combine(dataDirectory, SqliteStoreOptions.FileName));
var issuer = new UserPoolIssuer(new BrokerIssuer(options));
var sessions = new UserPoolSessions(store, store, new UserPoolTokenIssuer(new UserPoolSigningKeys(store, issuer, TimeProvider.System), issuer, TimeProvider.System),
    TimeProvider.System);
if (await store.GetClientAsync(userPoolId, clientId, CancellationToken.None) is not { } client)
{
    await Console.Error.WriteLineAsync($"No client {clientId} in user pool {userPoolId}.");
    return 1;
}

var groups = GroupRoles.For([.. args.Skip(6).Select(spec => Group(userPoolId, spec))]);
var attributes = new Dictionary<string, string> { ["email"] = username + "@example.com", ["email_verified"] = "true" };
var tokens = await sessions.StartAsync(new TokenGrant(client, sub, username, attributes, groups, DateTimeOffset.UtcNow), CancellationToken.None);
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
{
    ["IdToken"] = tokens.IdToken,
    ["AccessToken"] = tokens.AccessToken,
    ["RefreshToken"] = tokens.RefreshToken,
    ["ExpiresIn"] = tokens.ExpiresIn,
}));
return 0;

static UserPoolGroup Group(string poolId, string spec)
{
    var parts = spec.Split(':', 3);
    return new UserPoolGroup(poolId, parts[0], null, parts.Length > 2 ? parts[2] : null,
        parts.Length > 1 && int.TryParse(parts[1], out var p) ? p : null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
