using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdentityBroker.Tests.Federation.Saml;

/// <summary>
/// An IdP signing key whose signatures are made by Debian's <c>xmlsec1</c> (libxmlsec1 over OpenSSL), an implementation
/// independent of the .NET SignedXml the broker verifies with. test.sh installs it.
/// </summary>
public sealed class XmlSec1Signer : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ib-xmlsec-{Guid.NewGuid():N}");
    private readonly string _keyFile;

    public XmlSec1Signer(string subject = "CN=idp.example.com")
    {
        Directory.CreateDirectory(_directory);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(5));
        CertificateBase64 = Convert.ToBase64String(certificate.RawData);
        _keyFile = Path.Combine(_directory, "key.pem");
        File.WriteAllText(_keyFile, rsa.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The private key (PKCS#8 PEM), for the openssl CLI to sign redirect-binding queries with.</summary>
    public string KeyFile => _keyFile;

    /// <summary>The DER certificate, base64, as metadata carries it.</summary>
    public string CertificateBase64 { get; }

    public static bool IsAvailable => FindOnPath("xmlsec1") is not null;

    /// <summary>Signs the first ds:Signature template of <paramref name="template"/> (its Reference URI names the element).</summary>
    public string Sign(string template) => Run(template, "--privkey-pem", _keyFile);

    /// <summary>Signs with an HMAC key instead (the template names an hmac-sha* SignatureMethod): what an attacker can always do.</summary>
    public string SignWithHmac(string template, byte[] key)
    {
        var keyFile = Path.Combine(_directory, $"{Guid.NewGuid():N}.hmac");
        File.WriteAllBytes(keyFile, key);
        return Run(template, "--hmackey", keyFile);
    }

    private string Run(string template, string keyOption, string keyFile)
    {
        var input = Path.Combine(_directory, $"{Guid.NewGuid():N}.xml");
        var output = input + ".signed";
        File.WriteAllText(input, template);
        var start = new ProcessStartInfo("xmlsec1")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--sign", keyOption, keyFile,
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response",
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:LogoutResponse",
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:LogoutRequest",
            "--output", output, input,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"xmlsec1 failed ({process.ExitCode}): {error}");
        }

        return File.ReadAllText(output);
    }

    /// <summary>
    /// True when xmlsec1 verifies the enveloped signature of a SAML protocol message (a LogoutResponse of the broker) with
    /// <paramref name="certificateBase64"/> only (the message's own KeyInfo is not trusted).
    /// </summary>
    public bool Verify(string xml, string certificateBase64)
    {
        var input = Path.Combine(_directory, $"{Guid.NewGuid():N}.xml");
        var certificate = Path.Combine(_directory, $"{Guid.NewGuid():N}.crt");
        File.WriteAllText(input, xml);
        File.WriteAllText(certificate, "-----BEGIN CERTIFICATE-----\n" + certificateBase64 + "\n-----END CERTIFICATE-----\n");
        var start = new ProcessStartInfo("xmlsec1") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--verify", "--enabled-key-data", "x509", "--pubkey-cert-pem", certificate,
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:LogoutResponse", input,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
