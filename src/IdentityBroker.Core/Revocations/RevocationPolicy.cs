using System.Globalization;
using System.Text.Json;

namespace IdentityBroker.Revocations;

/// <summary>
/// aws mode: AWS STS issued the sessions, so only the roles can refuse them. This is the inline policy the IAM console's
/// "Revoke active sessions" attaches (AWSRevokeOlderSessions): deny everything to every session of the role whose
/// <c>aws:TokenIssueTime</c> is before the revocation. IAM has no key for the pool, identity or provider of a session
/// assumed with the broker's token in its permission policies, so the statement covers the whole role; the broker itself
/// stops minting for the narrower scope (<see cref="RevokedMints"/>).
/// </summary>
public static class RevocationPolicy
{
    /// <summary>The policy document, as JSON text to put on each role the pool's identities assume.</summary>
    public static string For(Revocation revocation)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Version", "2012-10-17");
            json.WriteStartArray("Statement");
            json.WriteStartObject();
            json.WriteString("Effect", "Deny");
            json.WriteString("Action", "*");
            json.WriteString("Resource", "*");
            json.WriteStartObject("Condition");
            json.WriteStartObject("DateLessThan");
            json.WriteString("aws:TokenIssueTime", revocation.IssuedBefore.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
