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
public sealed class UpstreamSignIn(UpstreamDirectory directory, JwtReader reader, IHttpClientFactory http, BrokerOptions options)
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

        return endpoints.IdTokenRule is { } rule
            ? await FromIdTokenAsync(provider, rule, reply.Value, state, cancellationToken).ConfigureAwait(false)
            : await FromProfileAsync(provider, endpoints.Profile, reply.Value, cancellationToken).ConfigureAwait(false);
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

        var claims = json.EnumerateObject().Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);
        return new ProviderUser(provider, subject, claims);
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
        if (provider.Detail("client_secret") is { } secret)
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
