using System.Globalization;

namespace IdentityBroker.UserPools.Srp;

/// <summary>
/// The TIMESTAMP of a PASSWORD_VERIFIER answer: "ddd MMM d HH:mm:ss UTC yyyy" in English, UTC, the day without a leading
/// zero (amazon-cognito-identity-js <c>DateHelper.getNowString</c>, e.g. "Tue Sep 5 07:04:09 UTC 2023"). Cognito refuses
/// "Sep 05" and a weekday that does not fit the date, so a value is accepted only if it is exactly what this format
/// writes for the instant it names.
/// </summary>
public static class CognitoTimestamp
{
    private const string Format = "ddd MMM d HH:mm:ss 'UTC' yyyy";

    /// <summary>
    /// How far the signed TIMESTAMP may be from the broker's clock, either way. AWS does not publish the bound; five
    /// minutes is the skew AWS allows for request signatures (SigV4), and the signature is bound to a one-time challenge
    /// anyway, so the window limits only how long a captured answer could be replayed against that same challenge.
    /// </summary>
    public static TimeSpan AcceptedSkew { get; } = TimeSpan.FromMinutes(5);

    public static string ToText(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrEmpty(text) || text.Length > 40
            || !DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        instant = new DateTimeOffset(parsed, TimeSpan.Zero);
        return string.Equals(ToText(instant), text, StringComparison.Ordinal);
    }

    /// <summary>True when <paramref name="text"/> is a well-formed timestamp within <see cref="AcceptedSkew"/> of now.</summary>
    public static bool IsCurrent(string? text, DateTimeOffset now) =>
        TryParse(text, out var instant) && (instant - now).Duration() <= AcceptedSkew;
}
