using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Pools;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using IdentityBroker.Observability;

namespace IdentityBroker.Federation.Social;

/// <summary>
/// Facebook (<c>graph.facebook.com</c>). An access token is checked server-side with the Graph API token debugger,
/// <c>GET &lt;graph&gt;/debug_token?input_token=…&amp;access_token=&lt;app id&gt;|&lt;app secret&gt;</c>, for each configured app
/// id that has a secret: <c>data.is_valid</c> must be true, <c>data.app_id</c> that app id, <c>data.expires_at</c> (0 = no
/// expiry) in the future; <c>data.user_id</c> is the subject. A Limited Login token (a JWT) is verified like an ID token
/// with Facebook's JWKS, <c>iss</c> <c>https://www.facebook.com</c> and <c>aud</c> the app id. Graph unreachable is
/// ExternalServiceException; every refusal NotAuthorizedException.
/// </summary>
public sealed partial class FacebookLoginValidator : ILoginValidator
{
    /// <summary>The refusal for a valid token of another app; compared by reference to try the pool's next app id.</summary>
    private static readonly AwsError OtherApp = CognitoErrors.UnsupportedProvider();

    private readonly IdTokenProviderValidator _limitedLogin;
    private readonly ProviderApi _api;
    private readonly FacebookProviderOptions _facebook;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public FacebookLoginValidator(JwtReader reader, ProviderApi api, IOptions<BrokerOptions> options, TimeProvider time, ILogger<FacebookLoginValidator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limitedLogin = IdTokenProviderValidator.FacebookLimitedLogin(reader, options);
        _api = api;
        _facebook = options.Value.Providers.Facebook;
        _time = time;
        _logger = logger ?? NullLogger<FacebookLoginValidator>.Instance;
    }

    public ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SupportedLogins.Lists(pool, providerKey, SupportedLogins.Facebook));

    public async ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var appIds = SupportedLogins.AppIds(pool, SupportedLogins.Facebook);
        if (!SupportedLogins.Lists(pool, providerKey, SupportedLogins.Facebook) || appIds.Count == 0)
        {
            return CognitoErrors.UnsupportedProvider();
        }

        // A compact JWS has exactly two dots (RFC 7515 §7.1); a Graph access token has none. A JWS is never sent to Graph.
        return IsCompactJws(token)
            ? await _limitedLogin.ValidateAsync(pool, providerKey, token, cancellationToken)
            : await DebugAccessTokenAsync(token, appIds, cancellationToken);
    }

    private static bool IsCompactJws(string token)
    {
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        return second > 0 && token.IndexOf('.', second + 1) < 0;
    }

    private async Task<Result<ValidatedLogin>> DebugAccessTokenAsync(string token, IReadOnlyList<string> appIds, CancellationToken cancellationToken)
    {
        if (token.Length > JwtRules.ThirdPartyMaxLength || token.Any(char.IsWhiteSpace))
        {
            return NotAFacebookToken();
        }

        AwsError? refusal = null;
        foreach (var appId in appIds)
        {
            if (!_facebook.AppSecrets.TryGetValue(appId, out var secret))
            {
                continue;
            }

            var reply = await _api.GetJsonAsync(DebugTokenUrl(token, appId, secret), null, cancellationToken);
            if (reply is null)
            {
                LogGraphUnreachable(_logger);
                return CognitoErrors.ExternalService("Couldn't validate the login token with graph.facebook.com.");
            }

            var checkedToken = Check(reply, appId);
            if (!ReferenceEquals(checkedToken.Error, OtherApp))
            {
                return checkedToken;
            }

            refusal = checkedToken.Error; // Another app's token: it may be one of the other configured app ids.
        }

        if (refusal is null)
        {
            LogNoAppSecret(_logger);
            return CognitoErrors.ExternalService("Couldn't validate the login token with graph.facebook.com: no app secret is configured for this app id.");
        }

        return refusal;
    }

    private Result<ValidatedLogin> Check(ApiReply reply, string appId)
    {
        if (!reply.IsSuccess || !reply.Body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            LogGraphRefused(_logger, reply.Status);
            return NotAFacebookToken();
        }

        if (!data.TryGetProperty("is_valid", out var valid) || valid.ValueKind != JsonValueKind.True)
        {
            return NotAFacebookToken();
        }

        if (!string.Equals(ProviderApi.String(data, "app_id"), appId, StringComparison.Ordinal))
        {
            return OtherApp;
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (ProviderApi.Number(data, "expires_at") is not { } expiresAt)
        {
            return NotAFacebookToken();
        }

        if (expiresAt != 0 && expiresAt <= now)
        {
            return CognitoErrors.InvalidLoginToken($"Token expired: {now} >= {expiresAt}");
        }

        if (ProviderApi.String(data, "user_id") is not { Length: > 0 } userId)
        {
            return NotAFacebookToken();
        }

        // expires_at 0 is a token that does not expire (Graph API, debug_token).
        var expires = expiresAt == 0 || expiresAt > 253_402_300_799 ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeSeconds(expiresAt);
        return SupportedLogins.Login(SupportedLogins.Facebook, userId, Claims(appId, userId), expires);
    }

    /// <summary>What role-mapping rules see of a Facebook access token (iss, aud, sub; docs/role-mapping.md).</summary>
    private static Dictionary<string, IReadOnlyList<string>> Claims(string appId, string userId) => new(StringComparer.Ordinal)
    {
        ["iss"] = [SupportedLogins.Facebook],
        ["aud"] = [appId],
        ["sub"] = [userId],
        ["app_id"] = [appId],
        ["user_id"] = [userId],
    };

    private Uri DebugTokenUrl(string token, string appId, string secret) =>
        new($"{_facebook.GraphBaseUrl.TrimEnd('/')}/debug_token?input_token={Uri.EscapeDataString(token)}&access_token={Uri.EscapeDataString(appId + "|" + secret)}");

    private static AwsError NotAFacebookToken() => CognitoErrors.InvalidLoginToken("Not a valid Facebook access token.");

    [LoggerMessage(EventId = LogEvents.FacebookGraphUnreachable, Level = LogLevel.Warning, Message = "Facebook Graph API unreachable or failing; login refused with ExternalServiceException")]
    private static partial void LogGraphUnreachable(ILogger logger);

    [LoggerMessage(EventId = LogEvents.FacebookGraphRefused, Level = LogLevel.Information, Message = "Facebook Graph API refused a debug_token call (HTTP {Status})")]
    private static partial void LogGraphRefused(ILogger logger, int status);

    [LoggerMessage(EventId = LogEvents.FacebookNoAppSecret, Level = LogLevel.Error, Message = "No Broker:Providers:Facebook:AppSecrets entry for the app id(s) of a pool: Facebook access tokens cannot be checked")]
    private static partial void LogNoAppSecret(ILogger logger);
}
