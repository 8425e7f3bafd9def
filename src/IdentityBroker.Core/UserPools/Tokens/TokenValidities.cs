using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Tokens;

/// <summary>
/// An app client's token lifetimes (CreateUserPoolClient, AccessTokenValidity / IdTokenValidity / RefreshTokenValidity with
/// TokenValidityUnits). Cognito's defaults, as the API reference gives them: the access and ID token validities count in
/// hours and default to 1 hour; the refresh token validity counts in days and defaults to 30 days (0 means the default).
/// </summary>
public sealed record TokenValidities(TimeSpan Access, TimeSpan Id, TimeSpan Refresh)
{
    public static readonly TimeSpan DefaultAccessOrId = TimeSpan.FromHours(1);

    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromDays(UserPoolClientSettings.DefaultRefreshTokenValidity);

    public static TokenValidities Of(UserPoolClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var units = settings.TokenValidityUnits;
        return new TokenValidities(
            settings.AccessTokenValidity is { } access ? Span(access, units?.AccessToken ?? "hours") : DefaultAccessOrId,
            settings.IdTokenValidity is { } id ? Span(id, units?.IdToken ?? "hours") : DefaultAccessOrId,
            settings.RefreshTokenValidity > 0 ? Span(settings.RefreshTokenValidity, units?.RefreshToken ?? "days") : DefaultRefresh);
    }

    /// <summary>TimeUnitsType: seconds, minutes, hours or days (the model's enum; the binder refuses anything else).</summary>
    private static TimeSpan Span(int value, string unit) => unit switch
    {
        "seconds" => TimeSpan.FromSeconds(value),
        "minutes" => TimeSpan.FromMinutes(value),
        "days" => TimeSpan.FromDays(value),
        _ => TimeSpan.FromHours(value),
    };
}
