using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.UserPools.OAuth;

/// <summary>RFC 7636 (PKCE) with the S256 method.</summary>
public static class Pkce
{
    /// <summary>§4.1 and §4.2: 43 to 128 characters of <c>[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"</c>.</summary>
    public static bool IsWellFormed(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length is >= 43 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');
    }

    /// <summary>§4.2: the S256 challenge of a verifier, BASE64URL(SHA256(ASCII(code_verifier))).</summary>
    public static string Challenge(string verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
    }

    /// <summary>§4.6: BASE64URL(SHA256(ASCII(code_verifier))) equals the challenge, compared in constant time.</summary>
    public static bool Verifies(string? verifier, string challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        if (verifier is null || !IsWellFormed(verifier))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Challenge(verifier)), Encoding.ASCII.GetBytes(challenge));
    }
}
