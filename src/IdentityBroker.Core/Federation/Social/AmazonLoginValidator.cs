using IdentityBroker.Errors;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Pools;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using IdentityBroker.Observability;

namespace IdentityBroker.Federation.Social;

/// <summary>
/// Login with Amazon (<c>www.amazon.com</c>): the access token is checked with
/// <c>GET &lt;tokeninfo&gt;?access_token=…</c> (<c>aud</c> must be one of the pool's LWA client ids, <c>exp</c> — the
/// seconds left — positive), then <c>GET &lt;profile&gt;</c> with <c>Authorization: Bearer</c> gives <c>user_id</c>, the
/// subject (it must agree with token-info's user_id when that is present). Amazon unreachable is ExternalServiceException.
/// </summary>
public sealed partial class AmazonLoginValidator : ILoginValidator
{
    private readonly ProviderApi _api;
    private readonly AmazonProviderOptions _amazon;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public AmazonLoginValidator(ProviderApi api, IOptions<BrokerOptions> options, ILogger<AmazonLoginValidator>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _api = api;
        _time = time ?? TimeProvider.System;
        _amazon = options.Value.Providers.Amazon;
        _logger = logger ?? NullLogger<AmazonLoginValidator>.Instance;
    }

    public ValueTask<bool> HandlesAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SupportedLogins.Lists(pool, providerKey, SupportedLogins.Amazon));

    public async ValueTask<Result<ValidatedLogin>> ValidateAsync(IdentityPool pool, string providerKey, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var clientIds = SupportedLogins.AppIds(pool, SupportedLogins.Amazon);
        if (!SupportedLogins.Lists(pool, providerKey, SupportedLogins.Amazon) || clientIds.Count == 0)
        {
            return CognitoErrors.UnsupportedProvider();
        }

        if (token.Length > JwtRules.ThirdPartyMaxLength || token.Any(char.IsWhiteSpace))
        {
            return NotAnAmazonToken();
        }

        var info = await _api.GetJsonAsync(new Uri($"{_amazon.TokenInfoUrl}?access_token={Uri.EscapeDataString(token)}"), null, cancellationToken);
        if (info is null)
        {
            return Unreachable();
        }

        if (CheckTokenInfo(info, clientIds) is { } refused)
        {
            return refused;
        }

        var profile = await _api.GetJsonAsync(new Uri(_amazon.ProfileUrl), token, cancellationToken);
        if (profile is null)
        {
            return Unreachable();
        }

        var userId = ProviderApi.String(profile.Body, "user_id");
        var infoUserId = ProviderApi.String(info.Body, "user_id");
        if (!profile.IsSuccess || string.IsNullOrEmpty(userId) || (infoUserId is not null && !string.Equals(infoUserId, userId, StringComparison.Ordinal)))
        {
            return NotAnAmazonToken();
        }

        return SupportedLogins.Login(SupportedLogins.Amazon, userId, Claims(info, userId), ExpiresAt(info));
    }

    private static AwsError? CheckTokenInfo(ApiReply info, IReadOnlyList<string> clientIds)
    {
        if (!info.IsSuccess)
        {
            return NotAnAmazonToken();
        }

        if (ProviderApi.String(info.Body, "aud") is not { } aud || !clientIds.Contains(aud, StringComparer.Ordinal))
        {
            return CognitoErrors.UnsupportedProvider();
        }

        // Login with Amazon: tokeninfo's exp is the number of seconds the token remains valid.
        return ProviderApi.Number(info.Body, "exp") is { } secondsLeft && secondsLeft > 0
            ? null
            : CognitoErrors.InvalidLoginToken("Token expired.");
    }

    /// <summary>tokeninfo's <c>exp</c> counts the seconds left from now (checked positive above); a year at most, as no LWA token lives longer.</summary>
    private DateTimeOffset ExpiresAt(ApiReply info) =>
        _time.GetUtcNow().AddSeconds(Math.Min(ProviderApi.Number(info.Body, "exp")!.Value, (long)TimeSpan.FromDays(366).TotalSeconds));

    /// <summary>What role-mapping rules see of an Amazon access token (iss, aud, sub; docs/role-mapping.md).</summary>
    private static Dictionary<string, IReadOnlyList<string>> Claims(ApiReply info, string userId)
    {
        var claims = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["iss"] = [ProviderApi.String(info.Body, "iss") ?? SupportedLogins.Amazon],
            ["aud"] = [ProviderApi.String(info.Body, "aud")!],
            ["sub"] = [userId],
            ["user_id"] = [userId],
        };
        if (ProviderApi.String(info.Body, "app_id") is { } appId)
        {
            claims["app_id"] = [appId];
        }

        return claims;
    }

    private AwsError Unreachable()
    {
        LogUnreachable(_logger);
        return CognitoErrors.ExternalService("Couldn't validate the login token with www.amazon.com.");
    }

    private static AwsError NotAnAmazonToken() => CognitoErrors.InvalidLoginToken("Not a valid Login with Amazon access token.");

    [LoggerMessage(EventId = LogEvents.AmazonUnreachable, Level = LogLevel.Warning, Message = "Login with Amazon token-info or profile API unreachable or failing; login refused with ExternalServiceException")]
    private static partial void LogUnreachable(ILogger logger);
}
