using System.Buffers;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.UserPools.OAuth;

/// <summary>
/// The access token of the client_credentials grant (machine to machine): no user, so <c>sub</c> is the client id, no
/// <c>username</c> and no session (<c>origin_jti</c>), the resource-server scopes granted, the client's access-token
/// validity, signed with the pool's key (Cognito developer guide, "Scopes, M2M, and APIs with resource servers").
/// </summary>
public sealed class ClientCredentialsTokens(UserPoolSigningKeys keys, UserPoolIssuer issuer, TimeProvider time)
{
    /// <summary>The token; <paramref name="access"/> is pre token generation's change to its claims (V3_0), if any.</summary>
    public async Task<UserPoolTokens> IssueAsync(UserPoolClient client, IReadOnlyList<string> scopes, CancellationToken cancellationToken,
        Triggers.ClaimsChange? access = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(scopes);
        var key = await keys.GetOrCreateAsync(client.UserPoolId, cancellationToken).ConfigureAwait(false);
        var lifetime = TokenValidities.Of(client.Settings).Access;
        var now = time.GetUtcNow();
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("sub", client.ClientId);
            writer.WriteString("token_use", "access");
            writer.WriteString("scope", string.Join(' ', scopes));
            writer.WriteNumber("auth_time", now.ToUnixTimeSeconds());
            writer.WriteString("iss", issuer.IssuerOf(client.UserPoolId));
            writer.WriteNumber("exp", (now + lifetime).ToUnixTimeSeconds());
            writer.WriteNumber("iat", now.ToUnixTimeSeconds());
            writer.WriteNumber("version", 2);
            writer.WriteString("jti", Guid.NewGuid().ToString());
            writer.WriteString("client_id", client.ClientId);
            writer.WriteEndObject();
        }

        var payload = access is null || access == Triggers.ClaimsChange.None
            ? buffer.WrittenSpan.ToArray()
            : Triggers.TokenClaimsOverride.Apply(buffer.WrittenSpan, access);
        return new UserPoolTokens(string.Empty, key.Signer.Sign(payload), null, (int)lifetime.TotalSeconds);
    }
}
