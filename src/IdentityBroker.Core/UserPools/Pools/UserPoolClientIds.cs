using System.Security.Cryptography;

namespace IdentityBroker.UserPools.Pools;

/// <summary>New app client ids and secrets.</summary>
public static class UserPoolClientIds
{
    private const string LowerAlphanumerics = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>26 random lower-case letters and digits, as Cognito's client ids.</summary>
    public static string NewClientId() => RandomNumberGenerator.GetString(LowerAlphanumerics, 26);

    /// <summary>
    /// 51 random letters and digits (about 303 bits), within ClientSecretType (24–64 characters of <c>[\w+]+</c>);
    /// Cognito's generated secrets are 51 characters as well.
    /// </summary>
    public static string NewSecret() => RandomNumberGenerator.GetString(Alphanumerics, 51);
}
