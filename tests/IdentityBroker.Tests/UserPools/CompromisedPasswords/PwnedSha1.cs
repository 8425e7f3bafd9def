using System.Security.Cryptography;
using System.Text;

namespace IdentityBroker.Tests.UserPools.CompromisedPasswords;

internal static class PwnedSha1
{
#pragma warning disable CA5350 // the Pwned Passwords index is SHA-1
    public static string Of(string password) => Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
#pragma warning restore CA5350

    /// <summary>Random 40-hex-digit hashes that are not <paramref name="except"/>.</summary>
    public static IEnumerable<string> Random(int count, params string[] except) =>
        Enumerable.Range(0, count).Select(_ => Convert.ToHexString(RandomNumberGenerator.GetBytes(20))).Except(except);
}
