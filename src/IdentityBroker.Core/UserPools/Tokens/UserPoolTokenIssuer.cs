using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using IdentityBroker.UserPools.Groups;

namespace IdentityBroker.UserPools.Tokens;

/// <summary>
/// Signs a user pool's ID and access tokens with the pool's own RS256 key, with the claims Cognito writes (Amazon Cognito
/// Developer Guide, "Understanding the identity (ID) token" and "Understanding the access token"). Both tokens of one
/// issuance share <c>event_id</c> and <c>origin_jti</c> (the session); each has its own <c>jti</c>. Lifetimes are the app
/// client's (<see cref="TokenValidities"/>) from <see cref="TimeProvider"/> time.
/// </summary>
public sealed class UserPoolTokenIssuer(UserPoolSigningKeys keys, UserPoolIssuer issuer, TimeProvider time)
{
    // Attribute values are written as given (non-ASCII names stay readable), as Cognito's tokens carry them.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> ReservedClaims = new(StringComparer.Ordinal)
    {
        "sub", "iss", "aud", "exp", "iat", "jti", "auth_time", "token_use", "origin_jti", "event_id", "cognito:username",
        "cognito:groups", "cognito:roles", "cognito:preferred_role", "nbf", "client_id", "scope", "username", "nonce",
    };

    /// <summary>The ID and access tokens of <paramref name="grant"/> for the session <paramref name="originJti"/> (no refresh token).</summary>
    public async Task<UserPoolTokens> IssueAsync(TokenGrant grant, string originJti, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentException.ThrowIfNullOrEmpty(originJti);
        var key = await keys.GetOrCreateAsync(grant.UserPoolId, cancellationToken).ConfigureAwait(false);
        var validities = TokenValidities.Of(grant.Client.Settings);
        var now = time.GetUtcNow();
        var claims = new Common(issuer.IssuerOf(grant.UserPoolId), originJti, Guid.NewGuid().ToString(), now.ToUnixTimeSeconds(),
            grant.AuthTime.ToUnixTimeSeconds(), grant.Groups);
        var idPayload = IdPayload(grant, claims, (now + validities.Id).ToUnixTimeSeconds()).WrittenSpan;
        var accessPayload = AccessPayload(grant, claims, (now + validities.Access).ToUnixTimeSeconds()).WrittenSpan;
        var id = grant.ClaimsOverride is { } o ? key.Signer.Sign(Triggers.TokenClaimsOverride.Apply(idPayload, o.Id)) : key.Signer.Sign(idPayload);
        var access = grant.ClaimsOverride is { } a
            ? key.Signer.Sign(Triggers.TokenClaimsOverride.Apply(accessPayload, a.Access))
            : key.Signer.Sign(accessPayload);
        return new UserPoolTokens(id, access, null, (int)validities.Access.TotalSeconds);
    }

    /// <summary>The ID token's claims, in the order of the developer guide's example payload.</summary>
    private static ArrayBufferWriter<byte> IdPayload(TokenGrant grant, Common claims, long expires)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("sub", grant.Sub);
        WriteGroups(writer, claims.Groups);
        if (claims.Groups.PreferredRole is { } preferred)
        {
            writer.WriteString("cognito:preferred_role", preferred);
        }

        writer.WriteString("iss", claims.Issuer);
        writer.WriteString("cognito:username", grant.Username);
        writer.WriteString("origin_jti", claims.OriginJti);
        if (claims.Groups.Roles.Count > 0)
        {
            WriteArray(writer, "cognito:roles", claims.Groups.Roles);
        }

        writer.WriteString("aud", grant.Client.ClientId);
        writer.WriteString("event_id", claims.EventId);
        writer.WriteString("token_use", "id");
        writer.WriteNumber("auth_time", claims.AuthTime);
        if (grant.Nonce is { } nonce)
        {
            writer.WriteString("nonce", nonce);
        }

        WriteAttributes(writer, grant.Attributes);
        writer.WriteNumber("exp", expires);
        writer.WriteNumber("iat", claims.IssuedAt);
        writer.WriteString("jti", Guid.NewGuid().ToString());
        writer.WriteEndObject();
        writer.Flush();
        return buffer;
    }

    /// <summary>The access token's claims: no aud and no attributes; client_id, scope and username instead.</summary>
    private static ArrayBufferWriter<byte> AccessPayload(TokenGrant grant, Common claims, long expires)
    {
        var buffer = new ArrayBufferWriter<byte>(768);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("sub", grant.Sub);
        WriteGroups(writer, claims.Groups);
        writer.WriteString("iss", claims.Issuer);
        writer.WriteString("client_id", grant.Client.ClientId);
        writer.WriteString("origin_jti", claims.OriginJti);
        writer.WriteString("event_id", claims.EventId);
        writer.WriteString("token_use", "access");
        writer.WriteString("scope", string.Join(' ', grant.EffectiveScopes));
        writer.WriteNumber("auth_time", claims.AuthTime);
        writer.WriteNumber("exp", expires);
        writer.WriteNumber("iat", claims.IssuedAt);
        writer.WriteString("jti", Guid.NewGuid().ToString());
        writer.WriteString("username", grant.Username);
        writer.WriteEndObject();
        writer.Flush();
        return buffer;
    }

    private static void WriteGroups(Utf8JsonWriter writer, GroupClaims groups)
    {
        if (groups.Groups.Count > 0)
        {
            WriteArray(writer, "cognito:groups", groups.Groups);
        }
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// Every attribute but <c>sub</c> (written first) and the claims the token itself sets; the two verification flags as
    /// JSON booleans, as in the developer guide's example (<c>"email_verified": true</c>).
    /// </summary>
    private static void WriteAttributes(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> attributes)
    {
        foreach (var (name, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (ReservedClaims.Contains(name))
            {
                continue;
            }

            if (name == Federation.FederatedIdentity.AttributeName)
            {
                Federation.FederatedIdentity.WriteClaim(writer, Federation.FederatedIdentity.Parse(value));
            }
            else if (name is "email_verified" or "phone_number_verified" && bool.TryParse(value, out var flag))
            {
                writer.WriteBoolean(name, flag);
            }
            else
            {
                writer.WriteString(name, value);
            }
        }
    }

    private sealed record Common(string Issuer, string OriginJti, string EventId, long IssuedAt, long AuthTime, GroupClaims Groups);
}
