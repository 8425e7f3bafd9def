using System.Security.Cryptography;
using IdentityBroker.UserPools.Passwords;

namespace IdentityBroker.UserPools.Users;

/// <summary>
/// The temporary password AdminCreateUser generates when the request has none: random, and satisfying the pool's policy
/// (at least one character of every class the policy requires, at least its minimum length and never under 12).
/// </summary>
public static class TemporaryPasswords
{
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";

    // Symbols from Cognito's set (PasswordPolicyCheck.Symbols) that survive being pasted from an email or SMS.
    private const string Symbols = "!#$%&*+-=?@^_";

    public static string Generate(PasswordPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var length = Math.Max(12, policy.MinimumLength);
        var all = Upper + Lower + Digits + Symbols;
        var chars = new List<char>
        {
            Pick(Upper), Pick(Lower), Pick(Digits), Pick(Symbols),
        };
        while (chars.Count < length)
        {
            chars.Add(Pick(all));
        }

        var shuffled = chars.ToArray();
        RandomNumberGenerator.Shuffle(shuffled.AsSpan());
        return new string(shuffled);
    }

    private static char Pick(string alphabet) => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
}
