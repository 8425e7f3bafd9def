using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Observability;
using IdentityBroker.Server.OAuth;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Federation;
using IdentityBroker.UserPools.Federation.Upstream;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.Pools;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.PoolFederation;

/// <summary>
/// IdP-initiated single logout at <c>/saml2/logout</c> (SAML Profiles §4.4, the IdP as session authority): a
/// LogoutRequest by HTTP-Redirect (query signature) or HTTP-POST (enveloped signature) from a SAML provider of the pool
/// with <c>IDPSignout</c> "true". Cognito documents only the SP-initiated direction; this one follows the profile. In
/// order: the issuer names such a provider (its metadata's entity id); the signature verifies with the metadata's signing
/// certificates; <see cref="SamlLogoutRequests"/> (issuer, Destination, IssueInstant/NotOnOrAfter, one NameID); the
/// request ID is new (<see cref="SamlReplayGuard.FirstLogoutRequestAsync"/>). Then the hosted sessions the NameID's
/// sign-ins started (those of the SessionIndexes the request names, or all when it names none, §3.7.3.2) end for their
/// users, and the IdP gets a LogoutResponse signed with the pool's key (Success, or UnknownPrincipal when no session
/// matched) at its SingleLogoutService. Anything refused is an error page (400) and changes nothing.
/// </summary>
internal static partial class SamlIdpLogout
{
    private const int MaxMessageCharacters = 100_000;
    private const int MaxRelayState = 1024;

    /// <summary>True when the request at /saml2/logout carries a LogoutRequest (SAMLRequest) rather than a LogoutResponse.</summary>
    public static async Task<bool> IsRequestAsync(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
            ? context.Request.Query.ContainsKey("SAMLRequest")
            : await ReadFormAsync(context) is { } form && form.ContainsKey("SAMLRequest");

    public static async Task<IResult> HandleAsync(HttpContext context)
    {
        var pool = context.UserPoolDomain()!;
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SamlIdpLogout));
        var message = await ReadAsync(context);
        if (message is null)
        {
            return Refused(logger, pool.Id, "The SAML logout request is not a single SAMLRequest of acceptable size.");
        }

        var accepted = await ValidateAsync(context, pool, message.Value);
        if (!accepted.IsSuccess)
        {
            return Refused(logger, pool.Id, accepted.Error!.Message);
        }

        var (provider, idp, request) = accepted.Value;
        var ended = await EndSessionsAsync(services, pool, provider, request, context.RequestAborted);
        LogAccepted(logger, pool.Id, provider.ProviderName, ended);
        return await AnswerAsync(context, pool, idp, request, ended > 0, message.Value);
    }

    /// <summary>The error page; the reason names the failed check, never the message's content.</summary>
    private static IResult Refused(ILogger logger, string userPoolId, string reason)
    {
        LogRefused(logger, userPoolId, reason);
        return OAuthPages.Error(new AwsError("invalid_request", reason));
    }

    private static async Task<Result<(PoolIdentityProvider Provider, SamlMetadata Idp, ValidatedLogoutRequest Request)>> ValidateAsync(
        HttpContext context, UserPool pool, (bool Get, string Xml, string? RelayState) message)
    {
        var services = context.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var skew = services.GetRequiredService<IOptions<BrokerOptions>>().Value.Saml.ClockSkew;
        var failure = new AwsError("invalid_request", "The LogoutRequest is not from a SAML provider of this user pool with IDPSignout.");
        foreach (var (provider, idp) in await CandidatesAsync(services, pool, SamlLogoutRequests.IssuerOf(message.Xml), context.RequestAborted))
        {
            var signedByBinding = message.Get
                && SamlRedirectBinding.Verify(context.Request.QueryString.Value ?? string.Empty, "SAMLRequest", idp.SigningCertificates) is null;
            if (message.Get && !signedByBinding)
            {
                failure = new AwsError("invalid_request", "The LogoutRequest's redirect signature does not verify with the SAML provider's certificates.");
                continue;
            }

            var checkedRequest = SamlLogoutRequests.Check(message.Xml, idp, context.DomainOrigin() + SamlLogout.Path, now, skew, signedByBinding);
            if (!checkedRequest.IsSuccess)
            {
                failure = checkedRequest.Error!;
                continue;
            }

            var replay = services.GetRequiredService<SamlReplayGuard>();
            return await replay.FirstLogoutRequestAsync(pool.Id, provider.ProviderName, checkedRequest.Value, now, context.RequestAborted)
                ? (provider, idp, checkedRequest.Value)
                : new AwsError("invalid_request", "This LogoutRequest was already received (its ID is used once).");
        }

        return failure;
    }

    /// <summary>The pool's SAML providers with IDPSignout whose metadata's entity id is the request's (unverified) issuer.</summary>
    private static async Task<List<(PoolIdentityProvider, SamlMetadata)>> CandidatesAsync(
        IServiceProvider services, UserPool pool, string? issuer, CancellationToken cancellationToken)
    {
        var found = new List<(PoolIdentityProvider, SamlMetadata)>();
        if (issuer is null)
        {
            return found;
        }

        var store = services.GetRequiredService<IUserPoolIdentityProviderStore>();
        var metadata = services.GetRequiredService<SamlProviderMetadata>();
        string? next = null;
        do
        {
            var page = await store.ListProvidersAsync(pool.Id, 60, next, cancellationToken);
            foreach (var provider in page.Items.Where(p => p.ProviderType == IdentityProviderTypes.Saml && p.Detail("IDPSignout") == "true"))
            {
                if (await metadata.ForAsync(provider, cancellationToken) is { } idp && idp.EntityId == issuer)
                {
                    found.Add((provider, idp));
                }
            }

            next = page.NextToken;
        }
        while (next is not null);
        return found;
    }

    /// <summary>Ends the hosted sessions of the matching SAML sessions' users; the number of sessions matched.</summary>
    private static async Task<int> EndSessionsAsync(
        IServiceProvider services, UserPool pool, PoolIdentityProvider provider, ValidatedLogoutRequest request, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<ISamlSessionStore>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var sessions = (await store.FindSamlSessionsAsync(pool.Id, provider.ProviderName, request.NameId, now, cancellationToken))
            .Where(s => request.SessionIndexes.Count == 0 || request.SessionIndexes.Contains(s.SessionIndex, StringComparer.Ordinal)).ToList();
        foreach (var user in sessions.GroupBy(s => s.Sub, StringComparer.Ordinal))
        {
            await store.EndHostedSessionsAsync(pool.Id, user.Key, now, now + HostedSessionTickets.Lifetime, [.. user], cancellationToken);
        }

        return sessions.Count;
    }

    /// <summary>The signed LogoutResponse, by the request's binding when the IdP has a service for it, else by the other.</summary>
    private static async Task<IResult> AnswerAsync(
        HttpContext context, UserPool pool, SamlMetadata idp, ValidatedLogoutRequest request, bool matched, (bool Get, string Xml, string? RelayState) message)
    {
        var services = context.RequestServices;
        var signer = await services.GetRequiredService<SamlServiceProviderKeys>().SigningAsync(pool, context.RequestAborted);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var status = matched ? SamlLogoutAnswers.Success : SamlLogoutAnswers.UnknownPrincipal;
        var redirect = idp.SingleLogoutRedirectResponse;
        var post = idp.SingleLogoutPostResponse;
        if (redirect is not null && (message.Get || post is null))
        {
            return Results.Redirect(SamlLogoutAnswers.Redirect(redirect, pool.Id, request.Id, status, message.RelayState, now, signer).AbsoluteUri);
        }

        return post is null
            ? OAuthPages.Error(new AwsError("signed_out", "The session ended; the SAML provider's metadata names no SingleLogoutService to answer."))
            : new AutoPostResult(post, SamlLogoutAnswers.Posted(post, pool.Id, request.Id, status, now, signer), message.RelayState);
    }

    private static async Task<(bool Get, string Xml, string? RelayState)?> ReadAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method))
        {
            var query = context.Request.Query;
            var raw = SamlRedirectBinding.RawParameters(context.Request.QueryString.Value ?? string.Empty);
            var xml = raw?.GetValueOrDefault("SAMLRequest") is { Length: > 0 and <= MaxMessageCharacters } encoded
                ? SamlRedirectBinding.Inflate(Uri.UnescapeDataString(encoded), MaxMessageCharacters)
                : null;
            return xml is null || query["RelayState"].Count > 1 || query["RelayState"].FirstOrDefault() is { Length: > MaxRelayState }
                ? null
                : (true, xml, query["RelayState"].FirstOrDefault());
        }

        var form = await ReadFormAsync(context);
        if (form is null || form["SAMLRequest"].Count != 1 || form["RelayState"].Count > 1 || form["RelayState"].FirstOrDefault() is { Length: > MaxRelayState })
        {
            return null;
        }

        try
        {
            return (false, new UTF8Encoding(false, true).GetString(Convert.FromBase64String(form["SAMLRequest"][0] ?? string.Empty)), form["RelayState"].FirstOrDefault());
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasFormContentType || request.ContentLength is null or > SamlLogout.MaxFormBytes)
        {
            return null;
        }

        try
        {
            return await request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    // Debug: anyone can post a refused request, and a hostile stream must not fill the log (docs/hostile-input.md).
    [LoggerMessage(EventId = LogEvents.SamlIdpLogoutRefused, Level = LogLevel.Debug,
        Message = "A SAML LogoutRequest to user pool {UserPoolId} was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string userPoolId, string reason);

    [LoggerMessage(EventId = LogEvents.SamlIdpLogoutAccepted, Level = LogLevel.Information,
        Message = "SAML provider {ProviderName} of user pool {UserPoolId} signed out {Sessions} session(s)")]
    private static partial void LogAccepted(ILogger logger, string userPoolId, string providerName, int sessions);

    /// <summary>
    /// The HTTP-POST binding's page (SAML Bindings §3.5.4): a form posting SAMLResponse (and RelayState) to the IdP,
    /// submitted by a script the CSP allows by nonce, with a button for browsers without scripts.
    /// </summary>
    private sealed class AutoPostResult(Uri action, string samlResponse, string? relayState) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var html = HtmlEncoder.Default;
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var relay = relayState is null ? string.Empty : $"<input type=\"hidden\" name=\"RelayState\" value=\"{html.Encode(relayState)}\">";
            var body = $"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Signing out</title></head>
                <body><main><form method="post" action="{html.Encode(action.AbsoluteUri)}">
                <input type="hidden" name="SAMLResponse" value="{html.Encode(samlResponse)}">{relay}
                <button type="submit">Continue</button></form></main>
                <script nonce="{nonce}">document.forms[0].submit();</script></body></html>
                """;
            var response = httpContext.Response;
            response.StatusCode = 200;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.XFrameOptions = "DENY";
            response.Headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'nonce-{nonce}'; form-action {action.GetLeftPart(UriPartial.Authority)}; "
                + "frame-ancestors 'none'; base-uri 'none'";
            response.Headers.CacheControl = "no-store";
            return response.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
