using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.Sessions;
using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.Server.OAuth;

/// <summary>
/// <c>POST /oauth2/token</c>, <c>POST /oauth2/revoke</c> (RFC 7009) and <c>/oauth2/userInfo</c> on a pool's domain: read the
/// form and the client's credentials (HTTP basic or the body, not both: RFC 6749 §2.3.1), run the Core step, answer RFC 6749
/// §5.1/§5.2 JSON with <c>Cache-Control: no-store</c>.
/// </summary>
internal static class TokenEndpoints
{
    /// <summary>A token request's form is small; a larger body is refused before it is read.</summary>
    private const long MaxFormBytes = 16 * 1024;

    public static void MapTokenEndpoints(this RouteGroupBuilder domain)
    {
        domain.MapPost("/oauth2/token", TokenAsync).DisableAntiforgery();
        domain.MapPost("/oauth2/revoke", RevokeAsync).DisableAntiforgery();
        domain.MapGet("/oauth2/userInfo", UserInfoAsync);
        domain.MapPost("/oauth2/userInfo", UserInfoAsync).DisableAntiforgery();
    }

    private static async Task<IResult> TokenAsync(HttpContext context, TokenGrants grants)
    {
        var request = await ReadAsync(context);
        if (!request.IsSuccess)
        {
            return Error(request.Error!);
        }

        var granted = await grants.GrantAsync(context.UserPoolDomain()!.Id, request.Value, context.RequestAborted);
        if (!granted.IsSuccess)
        {
            return Error(granted.Error!, HasBasic(context));
        }

        var t = granted.Value;
        return new JsonBody(writer =>
        {
            writer.WriteStartObject();
            if (t.IdToken is { } id)
            {
                writer.WriteString("id_token", id);
            }

            writer.WriteString("access_token", t.AccessToken);
            if (t.RefreshToken is { } refresh)
            {
                writer.WriteString("refresh_token", refresh);
            }

            writer.WriteNumber("expires_in", t.ExpiresIn);
            writer.WriteString("token_type", t.TokenType);
            writer.WriteEndObject();
        });
    }

    /// <summary>RFC 7009 §2: the refresh token's session ends; an unknown or foreign token is no error (§2.2).</summary>
    private static async Task<IResult> RevokeAsync(HttpContext context, TokenGrants grants, UserPoolSessions sessions)
    {
        var request = await ReadAsync(context, grantRequired: false);
        if (!request.IsSuccess)
        {
            return Error(request.Error!);
        }

        var client = await grants.AuthenticateAsync(context.UserPoolDomain()!.Id, request.Value, context.RequestAborted);
        if (!client.IsSuccess)
        {
            return Error(client.Error!, HasBasic(context));
        }

        if (request.Value["token"] is not { } token)
        {
            return Error(TokenEndpointErrors.InvalidRequest("token is required."));
        }

        var revoked = await sessions.RevokeAsync(token, client.Value.ClientId, request.Value.ClientSecret, context.RequestAborted);
        return revoked.Error?.Type switch
        {
            null => Results.Ok(),
            "UnsupportedTokenTypeException" => Error(TokenEndpointErrors.UnsupportedTokenType),
            "UnsupportedOperationException" => Error(TokenEndpointErrors.UnauthorizedClient),

            // The client is this domain's pool's, so a client missing in the token's pool means a token of another pool.
            "ResourceNotFoundException" => Results.Ok(),
            _ => Error(TokenEndpointErrors.InvalidClient, HasBasic(context)),
        };
    }

    /// <summary>OIDC Core §5.3: a Bearer access token with the openid scope; RFC 6750 §3.1 errors in WWW-Authenticate.</summary>
    private static async Task<IResult> UserInfoAsync(HttpContext context, AccessTokenAuthenticator access, IUserStore users)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        var pool = context.UserPoolDomain()!;
        var authenticated = await access.AuthenticateAsync(token, OAuthScopes.OpenId, context.RequestAborted);
        if (!authenticated.IsSuccess || authenticated.Value.UserPoolId != pool.Id
            || await users.GetUserAsync(pool.Id, authenticated.Value.Sub, context.RequestAborted) is not { Enabled: true } user)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return new JsonBody(w =>
            {
                w.WriteStartObject();
                w.WriteString("error", "invalid_token");
                w.WriteString("error_description", "Access token is missing, invalid, expired or revoked, or has no openid scope.");
                w.WriteEndObject();
            }, 401);
        }

        var body = UserInfo.Json(user, authenticated.Value.Scopes);
        return new JsonBody(w => w.WriteRawValue(body, skipInputValidation: true));
    }

    private static async Task<Result<TokenRequest>> ReadAsync(HttpContext context, bool grantRequired = true)
    {
        if (!context.Request.HasFormContentType || context.Request.ContentLength is > MaxFormBytes)
        {
            return TokenEndpointErrors.InvalidRequest("The body must be application/x-www-form-urlencoded.");
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueCountLimit = 32, ValueLengthLimit = 8192 },
                context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return TokenEndpointErrors.InvalidRequest("The form could not be read.");
        }

        var single = OAuthQuery.Single(form);
        if (single is null)
        {
            return TokenEndpointErrors.InvalidRequest("A parameter was sent more than once.");
        }

        var basic = Basic(context);
        if (basic is { Failed: true } || (basic is not null && (single.ContainsKey("client_secret") || single.GetValueOrDefault("client_id") is { } bodyId && bodyId != basic.Value.Id)))
        {
            return basic is { Failed: true } ? TokenEndpointErrors.InvalidClient : TokenEndpointErrors.InvalidRequest("Use one client authentication method.");
        }

        var clientId = basic?.Id ?? single.GetValueOrDefault("client_id");
        var grantType = single.GetValueOrDefault("grant_type");
        if (string.IsNullOrEmpty(clientId))
        {
            return TokenEndpointErrors.InvalidClient;
        }

        if (grantRequired && string.IsNullOrEmpty(grantType))
        {
            return TokenEndpointErrors.InvalidRequest("grant_type is required.");
        }

        return new TokenRequest(grantType ?? string.Empty, clientId, basic?.Secret ?? single.GetValueOrDefault("client_secret"), single);
    }

    /// <summary>RFC 6749 §2.3.1: <c>Basic base64(urlencode(id):urlencode(secret))</c>.</summary>
    private static (string Id, string Secret, bool Failed)? Basic(HttpContext context)
    {
        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter ?? string.Empty));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon <= 0
                ? (string.Empty, string.Empty, true)
                : (Uri.UnescapeDataString(text[..colon].Replace('+', ' ')), Uri.UnescapeDataString(text[(colon + 1)..].Replace('+', ' ')), false);
        }
        catch (FormatException)
        {
            return (string.Empty, string.Empty, true);
        }
    }

    private static bool HasBasic(HttpContext context) =>
        context.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 6749 §5.2: <c>{"error": …}</c>; invalid_client after HTTP basic is 401 with a Basic challenge.</summary>
    private static JsonBody Error(AwsError error, bool basic = false)
    {
        var status = error.Type == "invalid_client" ? (basic ? 401 : 400) : 400;
        return new JsonBody(w =>
        {
            w.WriteStartObject();
            w.WriteString("error", error.Type);
            w.WriteString("error_description", error.Message);
            w.WriteEndObject();
        }, status, basic && status == 401 ? "Basic realm=\"oauth2\"" : null);
    }

    /// <summary>JSON written directly, never cached (RFC 6749 §5.1).</summary>
    private sealed class JsonBody(Action<Utf8JsonWriter> write, int status = 200, string? challenge = null) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "application/json;charset=UTF-8";
            response.Headers.CacheControl = "no-store";
            response.Headers.Pragma = "no-cache";
            if (challenge is not null)
            {
                response.Headers.WWWAuthenticate = challenge;
            }

            await using var writer = new Utf8JsonWriter(response.Body);
            write(writer);
            await writer.FlushAsync(httpContext.RequestAborted);
        }
    }
}
