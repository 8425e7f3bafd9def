using System.Security.Cryptography;
using System.Text;
using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Server.Console;

/// <summary>
/// Checks a console sign-in against the admin keys (the same <see cref="StaticPrincipalSource"/> that signed admin calls are
/// verified with). The secret is compared in constant time; an unknown key id costs the same comparison against a dummy, so
/// the answer's timing tells nothing about which part was wrong.
/// </summary>
internal sealed class ConsoleSignIn(StaticPrincipalSource admins)
{
    private static readonly byte[] Dummy = RandomNumberGenerator.GetBytes(40);

    public async Task<bool> CheckAsync(string? accessKeyId, string? secretAccessKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(accessKeyId) || string.IsNullOrEmpty(secretAccessKey) || accessKeyId.Length > 128 || secretAccessKey.Length > 256)
        {
            return false;
        }

        var principal = await admins.FindAsync(accessKeyId, sessionToken: null, cancellationToken).ConfigureAwait(false);
        var expected = principal is { IsAdmin: true } ? Encoding.UTF8.GetBytes(principal.SecretAccessKey) : Dummy;
        var matches = CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(secretAccessKey));
        return matches && principal is { IsAdmin: true };
    }
}
