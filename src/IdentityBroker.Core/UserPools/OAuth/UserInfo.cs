using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.OAuth;

/// <summary>
/// The <c>/oauth2/userInfo</c> claims (OIDC Core §5.3, §5.4, with Cognito's scopes): <c>sub</c> and <c>username</c> always;
/// <c>email</c> adds email and email_verified, <c>phone</c> phone_number and phone_number_verified, <c>profile</c> every
/// other attribute. The verification flags are JSON strings, as Cognito's userInfo writes them.
/// </summary>
public static class UserInfo
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Json(PoolUser user, IReadOnlyList<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(scopes);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("sub", user.Sub);
            foreach (var (name, value) in user.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                if (name != StandardAttributes.Sub && Granted(name, scopes))
                {
                    writer.WriteString(name, value);
                }
            }

            writer.WriteString("username", user.Username);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool Granted(string attribute, IReadOnlyList<string> scopes) => attribute switch
    {
        "email" or "email_verified" => scopes.Contains(OAuthScopes.Email, StringComparer.Ordinal),
        "phone_number" or "phone_number_verified" => scopes.Contains(OAuthScopes.Phone, StringComparer.Ordinal),
        _ => scopes.Contains(OAuthScopes.Profile, StringComparer.Ordinal),
    };
}
