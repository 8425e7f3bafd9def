using System.Net.Http.Headers;
using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Federation.Social;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// The authorization code flow against a pool's OIDC or social provider (OpenID Connect Core §3.1), in its stages:
/// <see cref="AuthorizeUrlAsync"/> sends the browser with state, nonce and a PKCE S256 challenge; <see cref="CompleteAsync"/>
/// redeems the code with the verifier, reads the ID token with the broker's one <see cref="JwtReader"/> (issuer, audience,
/// signature, lifetime), checks the nonce, or for Facebook and Login with Amazon reads the profile API, and yields the
/// provider's user. Failures never carry the code, tokens or secrets.
/// </summary>
public sealed class UpstreamSignIn(UpstreamDirectory directory, JwtReader reader, IHttpClientFactory http, BrokerOptions options, TimeProvider time)
{
    private const long MaxReplyBytes = 256 * 1024;

    public async Task<Uri?> AuthorizeUrlAsync(PoolIdentityProvider provider, FederationState state, string redirectUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(state);
        if (await directory.ResolveAsync(provider, cancellationToken).ConfigureAwait(false) is not { } endpoints)
        {
            return null;
        }

        var query = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = provider.Detail("client_id") ?? string.Empty,
            ["redirect_uri"] = redirectUri,
            ["scope"] = provider.Detail("authorize_scopes") ?? "openid",
            ["state"] = state.State,
            ["nonce"] = state.Nonce,
            ["code_challenge"] = FederationStates.Challenge(state.CodeVerifier),
            ["code_challenge_method"] = "S256",
        };
        if (provider.ProviderType == IdentityProviderTypes.SignInWithApple)
        {
            // Apple requires form_post when the scopes ask for the name or email, and sends the name only that way
            // (the user member of the post); Cognito asks Apple for form_post, so the broker does too.
            query["response_mode"] = "form_post";
        }

        var separator = endpoints.Authorize.Query.Length > 0 ? "&" : "?";
        return new Uri(endpoints.Authorize.AbsoluteUri + separator + string.Join('&', query.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value))));
    }

    public async Task<Result<ProviderUser>> CompleteAsync(
        PoolIdentityProvider provider, FederationState state, string code, string redirectUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(state);
        if (await directory.ResolveAsync(provider, cancellationToken).ConfigureAwait(false) is not { } endpoints)
        {
            return UpstreamErrors.ProviderUnavailable;
        }

        var reply = await RedeemAsync(provider, endpoints.Token, state, code, redirectUri, cancellationToken).ConfigureAwait(false);
        if (reply is null)
        {
            return UpstreamErrors.CodeRefused;
        }

        if (endpoints.IdTokenRule is not { } rule)
        {
            return await FromProfileAsync(provider, endpoints.Profile, reply.Value, cancellationToken).ConfigureAwait(false);
        }

        var user = await FromIdTokenAsync(provider, rule, reply.Value, state, cancellationToken).ConfigureAwait(false);
        return user.IsSuccess && provider.ProviderType == IdentityProviderTypes.Oidc && endpoints.Profile is { } userInfo
            ? await WithUserInfoAsync(provider, user.Value, userInfo, reply.Value, cancellationToken).ConfigureAwait(false)
            : user;
    }

    private async Task<Result<ProviderUser>> FromIdTokenAsync(
        PoolIdentityProvider provider, JwtRule rule, JsonElement reply, FederationState state, CancellationToken cancellationToken)
    {
        if (ProviderApi.String(reply, "id_token") is not { } idToken)
        {
            return UpstreamErrors.NoIdToken;
        }

        var read = await reader.ReadAsync(idToken, rule, cancellationToken).ConfigureAwait(false);
        if (read.Token is not { } jwt || jwt.Subject is not { } subject)
        {
            return UpstreamErrors.BadIdToken;
        }

        var claims = jwt.ClaimMap().Where(c => c.Value.Count > 0).ToDictionary(c => c.Key, c => c.Value[0], StringComparer.Ordinal);
        // OpenID Connect Core §3.1.3.7 (11): the nonce must be the one this browser's request carried.
        if (!claims.TryGetValue("nonce", out var nonce) || !string.Equals(nonce, state.Nonce, StringComparison.Ordinal))
        {
            return UpstreamErrors.NonceMismatch;
        }

        return new ProviderUser(provider, subject, claims);
    }

    /// <summary>Facebook and Login with Amazon: the access token reads the profile; its <c>id</c> or <c>user_id</c> is the subject.</summary>
    private async Task<Result<ProviderUser>> FromProfileAsync(PoolIdentityProvider provider, Uri? profile, JsonElement reply, CancellationToken cancellationToken)
    {
        if (profile is null || ProviderApi.String(reply, "access_token") is not { } accessToken)
        {
            return UpstreamErrors.CodeRefused;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, ProfileUrl(provider, profile));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var body = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var subjectClaim = IdentityProviderTypes.SubjectClaim(provider.ProviderType);
        if (body is not { } json || ProviderApi.String(json, subjectClaim) is not { } subject)
        {
            return UpstreamErrors.ProviderUnavailable;
        }

        return new ProviderUser(provider, subject, Scalars(json).ToDictionary(StringComparer.Ordinal));
    }

    /// <summary>A reply's string, number and boolean members as claim values (objects and arrays are left out).</summary>
    private static IEnumerable<KeyValuePair<string, string>> Scalars(JsonElement json) =>
        json.EnumerateObject().Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            .Select(p => KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()));

    /// <summary>
    /// An OIDC provider's userinfo (attributes_url, OpenID Connect Core §5.3) read with the access token, by the provider's
    /// attributes_request_method; its claims join the ID token's. Its <c>sub</c> must be the ID token's (§5.3.2), else
    /// the answer could be another user's.
    /// </summary>
    private async Task<Result<ProviderUser>> WithUserInfoAsync(
        PoolIdentityProvider provider, ProviderUser user, Uri userInfo, JsonElement reply, CancellationToken cancellationToken)
    {
        if (ProviderApi.String(reply, "access_token") is not { } accessToken)
        {
            return user;
        }

        var method = provider.Detail("attributes_request_method") == "POST" ? HttpMethod.Post : HttpMethod.Get;
        using var request = new HttpRequestMessage(method, userInfo);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (await SendAsync(request, cancellationToken).ConfigureAwait(false) is not { } json)
        {
            return UpstreamErrors.ProviderUnavailable;
        }

        if (ProviderApi.String(json, "sub") != user.Subject)
        {
            return UpstreamErrors.BadIdToken;
        }

        var claims = new Dictionary<string, string>(user.Claims, StringComparer.Ordinal);
        foreach (var (name, value) in Scalars(json))
        {
            claims.TryAdd(name, value);
        }

        return user with { Claims = claims };
    }

    /// <summary>Facebook's attributes_url ends in <c>fields=</c>: the mapped attributes are added to it (attributes_url_add_attributes).</summary>
    private static Uri ProfileUrl(PoolIdentityProvider provider, Uri profile)
    {
        if (provider.Detail("attributes_url_add_attributes") != "true")
        {
            return profile;
        }

        var fields = provider.AttributeMapping.Values.Append(IdentityProviderTypes.SubjectClaim(provider.ProviderType)).Distinct(StringComparer.Ordinal);
        return new Uri(profile.AbsoluteUri + Uri.EscapeDataString(string.Join(',', fields)));
    }

    private async Task<JsonElement?> RedeemAsync(
        PoolIdentityProvider provider, Uri tokenUrl, FederationState state, string code, string redirectUri, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = provider.Detail("client_id") ?? string.Empty,
            ["code_verifier"] = state.CodeVerifier,
        };
        var secret = provider.ProviderType == IdentityProviderTypes.SignInWithApple
            ? AppleClientSecret.Create(provider, time.GetUtcNow())
            : provider.Detail("client_secret");
        if (secret is not null)
        {
            form["client_secret"] = secret;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl) { Content = new FormUrlEncodedContent(form) };
        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonElement?> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var client = http.CreateClient(ProviderApi.HttpClientName);
        client.Timeout = options.Providers.RequestTimeout;
        client.MaxResponseContentBufferSize = MaxReplyBytes;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
