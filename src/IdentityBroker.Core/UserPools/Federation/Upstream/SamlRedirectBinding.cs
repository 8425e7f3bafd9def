using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// The SAML HTTP-Redirect binding (SAML Bindings §3.4.4): a message DEFLATEd, base64-encoded and URL-encoded into the
/// query, with the RelayState. A signed message carries <c>SigAlg</c> and <c>Signature</c>: the signature is over the
/// octets <c>SAMLRequest=…&amp;RelayState=…&amp;SigAlg=…</c> (or <c>SAMLResponse=…</c>) exactly as URL-encoded in the
/// query (§3.4.4.1), so a verifier checks the query it received, never a re-encoding of it.
/// </summary>
public static class SamlRedirectBinding
{
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

    private const string RsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
    private const string RsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";

    /// <summary>The query for <paramref name="xml"/> under <paramref name="parameter"/>, signed with RSA-SHA256 when a key is given.</summary>
    public static string Query(string parameter, string xml, string? relayState, X509Certificate2? signer)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var query = parameter + "=" + Uri.EscapeDataString(Deflate(xml));
        if (relayState is not null)
        {
            query += "&RelayState=" + Uri.EscapeDataString(relayState);
        }

        if (signer is null)
        {
            return query;
        }

        query += "&SigAlg=" + Uri.EscapeDataString(RsaSha256);
        using var key = signer.GetRSAPrivateKey() ?? throw new InvalidOperationException("The SAML signing certificate has no RSA private key.");
        var signature = key.SignData(Encoding.UTF8.GetBytes(query), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return query + "&Signature=" + Uri.EscapeDataString(Convert.ToBase64String(signature));
    }

    /// <summary>
    /// Verifies a signed redirect-binding query as received (<paramref name="rawQuery"/> without its '?') with one of
    /// <paramref name="certificates"/>. RSA with SHA-256, SHA-384 or SHA-512 only.
    /// </summary>
    /// <returns>Null when the signature is valid; else why not.</returns>
    public static string? Verify(string rawQuery, string parameter, IReadOnlyList<X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(rawQuery);
        ArgumentNullException.ThrowIfNull(certificates);
        var raw = RawParameters(rawQuery);
        if (raw is null || !raw.TryGetValue(parameter, out var message) || !raw.TryGetValue("SigAlg", out var sigAlg)
            || !raw.TryGetValue("Signature", out var signatureText))
        {
            return "The SAML message is not signed (SigAlg and Signature are required).";
        }

        var hash = Uri.UnescapeDataString(sigAlg) switch
        {
            RsaSha256 => HashAlgorithmName.SHA256,
            RsaSha384 => HashAlgorithmName.SHA384,
            RsaSha512 => HashAlgorithmName.SHA512,
            _ => (HashAlgorithmName?)null,
        };
        if (hash is null)
        {
            return "The SAML message's SigAlg is not accepted (RSA with SHA-256, SHA-384 or SHA-512).";
        }

        var signed = parameter + "=" + message + (raw.TryGetValue("RelayState", out var relay) ? "&RelayState=" + relay : string.Empty) + "&SigAlg=" + sigAlg;
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(Uri.UnescapeDataString(signatureText));
        }
        catch (FormatException)
        {
            return "The SAML message's Signature is not base64.";
        }

        foreach (var certificate in certificates)
        {
            using var key = certificate.GetRSAPublicKey();
            if (key is not null && key.VerifyData(Encoding.UTF8.GetBytes(signed), signature, hash.Value, RSASignaturePadding.Pkcs1))
            {
                return null;
            }
        }

        return "The SAML message's signature does not verify with any signing certificate of the SAML provider's metadata.";
    }

    /// <summary>The raw (still URL-encoded) value of each parameter; null when one is repeated.</summary>
    public static Dictionary<string, string>? RawParameters(string rawQuery)
    {
        ArgumentNullException.ThrowIfNull(rawQuery);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            if (!values.TryAdd(name, equals < 0 ? string.Empty : pair[(equals + 1)..]))
            {
                return null;
            }
        }

        return values;
    }

    /// <summary>The XML of a redirect-binding message (base64 of raw DEFLATE); null when it is not one, or inflates past the bound.</summary>
    public static string? Inflate(string base64, int maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(base64);
        try
        {
            using var deflate = new DeflateStream(new MemoryStream(Convert.FromBase64String(base64)), CompressionMode.Decompress);
            using var reader = new StreamReader(deflate, new UTF8Encoding(false, true));
            var buffer = new char[maxCharacters + 1];
            var read = reader.ReadBlock(buffer, 0, buffer.Length);
            return read > maxCharacters ? null : new string(buffer, 0, read);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static string Deflate(string xml)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(xml));
        }

        return Convert.ToBase64String(buffer.ToArray());
    }
}
