using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Pools;

/// <summary>
/// The SECRET_HASH a client with a secret must send with the user-facing operations (SignUp, InitiateAuth, ForgotPassword,
/// …): Base64(HMAC-SHA256(key = client secret, message = username + client id)), as the Cognito developer guide's
/// "Computing secret hash values" defines it. A client without a secret needs none, and one sent to it is ignored.
/// </summary>
public static class SecretHash
{
    public static string Compute(string clientSecret, string username, string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientSecret);
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(clientId);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(username + clientId));
        return Convert.ToBase64String(mac);
    }

    /// <returns>Null when the client has no secret or <paramref name="secretHash"/> is right; otherwise Cognito's refusal.</returns>
    public static AwsError? Check(UserPoolClient client, string username, string? secretHash)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(username);
        if (client.ClientSecret is null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(secretHash))
        {
            return new AwsError("NotAuthorizedException", $"Client {client.ClientId} is configured for secret but secret was not received");
        }

        var expected = Encoding.ASCII.GetBytes(Compute(client.ClientSecret, username, client.ClientId));
        var given = Encoding.UTF8.GetBytes(secretHash);
        // Constant time, so that a caller cannot learn the hash byte by byte from the answer's timing.
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? null
            : new AwsError("NotAuthorizedException", $"Unable to verify secret hash for client {client.ClientId}");
    }
}
