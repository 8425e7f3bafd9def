namespace IdentityBroker.UserPools.HostedUi;

/// <summary>
/// The classic hosted UI branding of one app client, or of the whole pool when <see cref="ClientId"/> is
/// <see cref="AllClients"/> (SetUICustomization). A client with its own customization does not fall back to the pool's.
/// The CSS is kept as it was set (it passed <see cref="UiCss.Sanitize"/>); the logo as its bytes and content type.
/// </summary>
public sealed record UiCustomization(
    string UserPoolId,
    string ClientId,
    string? Css,
    UiLogo? Logo,
    DateTimeOffset CreationDate,
    DateTimeOffset LastModifiedDate)
{
    public const string AllClients = "ALL";

    /// <summary>Changes whenever the customization does, so that pages and caches can tell versions apart.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string CssVersion => LastModifiedDate.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A logo image: PNG or JPEG only (the formats Cognito takes), recognised by its signature, never by a name.</summary>
public sealed record UiLogo(string ContentType, byte[] Bytes)
{
    /// <summary>The logo of <paramref name="bytes"/>, or null when they are neither a PNG nor a JPEG.</summary>
    public static UiLogo? From(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ReadOnlySpan<byte> png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        ReadOnlySpan<byte> jpeg = [0xFF, 0xD8, 0xFF];
        return bytes.AsSpan().StartsWith(png) ? new UiLogo("image/png", bytes)
            : bytes.AsSpan().StartsWith(jpeg) ? new UiLogo("image/jpeg", bytes)
            : null;
    }
}

public sealed record SetUiCustomization(string UserPoolId, string? ClientId, string? Css, byte[]? ImageFile)
{
    public override string ToString() => $"SetUiCustomization {{ UserPoolId = {UserPoolId}, ClientId = {ClientId} }}";
}

public sealed record GetUiCustomization(string UserPoolId, string? ClientId);
