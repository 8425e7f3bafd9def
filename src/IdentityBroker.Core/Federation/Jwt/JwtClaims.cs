using System.Text.Json;

namespace IdentityBroker.Federation.Jwt;

/// <summary>
/// The claims of a JWT payload the broker checks (iss, sub, aud, azp, exp, nbf, iat), read in one pass; the payload is
/// kept so that the full claim map is built only when a caller reads it (<see cref="LazyTokenClaims"/>).
/// </summary>
internal sealed class JwtClaims
{
    private static readonly string[] Checked = ["iss", "sub", "aud", "azp", "exp", "nbf", "iat"];

    private JwtClaims(byte[] payload) => Payload = payload;

    public byte[] Payload { get; }

    /// <summary>The <c>iss</c> string; empty when absent or not a string.</summary>
    public string Issuer { get; private set; } = string.Empty;

    /// <summary>The <c>sub</c> string; null when absent or not a string.</summary>
    public string? Subject { get; private set; }

    /// <summary>The <c>aud</c> string, or the strings of the <c>aud</c> array (RFC 7519 §4.1.3).</summary>
    public IReadOnlyList<string> Audiences { get; private set; } = [];

    /// <summary>True when <c>azp</c> is present and not JSON null (then <see cref="AuthorizedParty"/> is its string, or null for another type).</summary>
    public bool HasAuthorizedParty { get; private set; }

    public string? AuthorizedParty { get; private set; }

    public bool HasExpiry { get; private set; }

    /// <summary>exp in epoch seconds; null when present but not a finite number.</summary>
    public long? Expiry { get; private set; }

    public bool HasNotBefore { get; private set; }

    public long? NotBefore { get; private set; }

    public bool HasIssuedAt { get; private set; }

    public long? IssuedAt { get; private set; }

    /// <summary>
    /// Claims the broker built itself in this process (the in-process STS path, which has no token to read): the same checks
    /// then run on those values.
    /// </summary>
    public static JwtClaims Built(string issuer, string subject, string audience, long issuedAt, long expires) => new([])
    {
        Issuer = issuer,
        Subject = subject,
        Audiences = [audience],
        HasExpiry = true,
        Expiry = expires,
        HasIssuedAt = true,
        IssuedAt = issuedAt,
    };

    /// <summary>The claims, or null when the payload is not a JSON object or repeats a checked claim.</summary>
    public static JwtClaims? Parse(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var claims = new JwtClaims(payload);
            var seen = 0;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var index = Array.FindIndex(Checked, name => property.NameEquals(name));
                if (index < 0)
                {
                    continue;
                }

                if ((seen & (1 << index)) != 0)
                {
                    return null; // A repeated claim would be read differently by different parsers.
                }

                seen |= 1 << index;
                claims.Read(index, property.Value);
            }

            return claims;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Read(int index, JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        switch (index)
        {
            case 0:
                Issuer = text ?? string.Empty;
                break;
            case 1:
                Subject = text;
                break;
            case 2:
                Audiences = value.ValueKind == JsonValueKind.Array
                    ? [.. value.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!)]
                    : text is null ? [] : [text];
                break;
            case 3:
                HasAuthorizedParty = value.ValueKind != JsonValueKind.Null;
                AuthorizedParty = text;
                break;
            case 4:
                HasExpiry = true;
                Expiry = Epoch(value);
                break;
            case 5:
                HasNotBefore = true;
                NotBefore = Epoch(value);
                break;
            default:
                HasIssuedAt = true;
                IssuedAt = Epoch(value);
                break;
        }
    }

    /// <summary>NumericDate (RFC 7519 §2): whole or fractional seconds, the fraction dropped.</summary>
    private static long? Epoch(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetInt64(out var whole))
        {
            return whole;
        }

        return value.TryGetDouble(out var fractional) && double.IsFinite(fractional) && Math.Abs(fractional) < 9e18
            ? (long)Math.Floor(fractional)
            : null;
    }
}
