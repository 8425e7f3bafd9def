using System.Diagnostics;
using System.Text;

namespace IdentityBroker.Tests.Federation.Saml;

/// <summary>
/// What a SAML IdP stand-in does with tools independent of the broker's .NET code: the openssl CLI signs and verifies
/// HTTP-Redirect binding queries (RSA-SHA256 over the exact query octets, SAML Bindings §3.4.4.1), and xmlsec1 encrypts
/// an assertion to the broker's encryption certificate from a template (XML Encryption, RSA-OAEP key transport).
/// </summary>
public sealed class SamlIdpTools : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ib-samlidp-{Guid.NewGuid():N}");

    public SamlIdpTools() => Directory.CreateDirectory(_directory);

    /// <summary>True when openssl verifies <paramref name="signature"/> over <paramref name="signed"/> with the certificate's key.</summary>
    public bool Verify(string signed, byte[] signature, string certificateBase64)
    {
        var certificate = File(".pem", "-----BEGIN CERTIFICATE-----\n" + certificateBase64 + "\n-----END CERTIFICATE-----\n");
        var publicKey = Path.Combine(_directory, $"{Guid.NewGuid():N}.pub");
        Run("openssl", "x509", "-pubkey", "-noout", "-in", certificate, "-out", publicKey);
        var data = File(".txt", signed);
        var signatureFile = Path.Combine(_directory, $"{Guid.NewGuid():N}.sig");
        System.IO.File.WriteAllBytes(signatureFile, signature);
        return Run("openssl", "dgst", "-sha256", "-verify", publicKey, "-signature", signatureFile, data).ExitCode == 0;
    }

    /// <summary>An RSA-SHA256 signature by openssl with the PEM private key in <paramref name="keyFile"/>.</summary>
    public byte[] Sign(string signed, string keyFile)
    {
        var data = File(".txt", signed);
        var signatureFile = Path.Combine(_directory, $"{Guid.NewGuid():N}.sig");
        var result = Run("openssl", "dgst", "-sha256", "-sign", keyFile, "-out", signatureFile, data);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        return System.IO.File.ReadAllBytes(signatureFile);
    }

    /// <summary>
    /// The response with its saml:Assertion encrypted by xmlsec1 into an EncryptedData (in place, inside the
    /// EncryptedAssertion the caller put it in) to <paramref name="certificateBase64"/>.
    /// </summary>
    /// <param name="content">aes256-cbc, aes128-cbc, aes128-gcm or aes256-gcm.</param>
    /// <param name="keyTransport">The EncryptedKey's algorithm in the xmlenc namespace: rsa-oaep-mgf1p, or rsa-1_5.</param>
    public string Encrypt(string responseXml, string certificateBase64, string content = "aes256-cbc", string keyTransport = "rsa-oaep-mgf1p")
    {
        var certificate = File(".pem", "-----BEGIN CERTIFICATE-----\n" + certificateBase64 + "\n-----END CERTIFICATE-----\n");
        var algorithm = content.EndsWith("gcm", StringComparison.Ordinal) ? "http://www.w3.org/2009/xmlenc11#" + content : "http://www.w3.org/2001/04/xmlenc#" + content;
        var template = File(".xml", $"""
            <xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod Algorithm="{algorithm}"/><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#{keyTransport}"/><xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedData>
            """);
        var data = File(".xml", responseXml);
        var output = Path.Combine(_directory, $"{Guid.NewGuid():N}.out.xml");
        var sessionKey = "aes-" + content[3..6];
        var result = Run("xmlsec1", "--encrypt", "--pubkey-cert-pem", certificate, "--session-key", sessionKey, "--xml-data", data,
            "--node-name", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", "--output", output, template);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        return System.IO.File.ReadAllText(output);
    }

    /// <summary>The response's saml:Assertion moved into a saml:EncryptedAssertion, ready for <see cref="Encrypt"/>.</summary>
    public static string WrapAssertion(string responseXml)
    {
        const string Saml = "urn:oasis:names:tc:SAML:2.0:assertion";
        var document = new System.Xml.XmlDocument { PreserveWhitespace = true };
        document.LoadXml(responseXml);
        var assertion = document.DocumentElement!["Assertion", Saml]!;
        var holder = document.CreateElement("saml", "EncryptedAssertion", Saml);
        document.DocumentElement.ReplaceChild(holder, assertion);
        holder.AppendChild(assertion);
        return document.OuterXml;
    }

    private string File(string extension, string content)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}{extension}");
        System.IO.File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private static (int ExitCode, string Error) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Result);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
