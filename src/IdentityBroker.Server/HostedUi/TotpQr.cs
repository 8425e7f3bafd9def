using QRCoder;

namespace IdentityBroker.Server.HostedUi;

/// <summary>
/// The QR code of TOTP set-up: the <c>otpauth://totp/</c> URI authenticator apps read (Google Authenticator's Key Uri
/// Format: issuer and account label, base32 secret), drawn as a PNG data URI so that the page needs no script or request.
/// </summary>
internal static class TotpQr
{
    public static string OtpAuthUri(string issuer, string account, string secret) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={Uri.EscapeDataString(secret)}&issuer={Uri.EscapeDataString(issuer)}";

    public static string PngDataUri(string otpAuthUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpAuthUri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
