using System.Net;
using System.Text;
using System.Text.Json;
using System.Web;
using IdentityBroker.Federation.Jwt;
using IdentityBroker.Federation.Social;
using IdentityBroker.Pools;
using IdentityBroker.Tests.Federation;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.Federation.Social;

/// <summary>
/// An in-process stand-in for the public providers: routes by URL (without query) to a responder, records every request
/// (with its query and Authorization header) and can be made unreachable.
/// </summary>
internal sealed class SocialStandIn : HttpMessageHandler
{
    private readonly Dictionary<string, Func<HttpRequestMessage, HttpResponseMessage>> _routes = new(StringComparer.Ordinal);

    public List<HttpRequestMessage> Requests { get; } = [];

    public bool Unreachable { get; set; }

    public int CountOf(string url) => Requests.Count(r => r.RequestUri!.GetLeftPart(UriPartial.Path) == url);

    public void Route(string url, Func<HttpRequestMessage, HttpResponseMessage> responder) => _routes[url] = responder;

    public void Jwks(string url, Func<IEnumerable<TestKey>> keys) =>
        Route(url, _ => Json(new Dictionary<string, object> { ["keys"] = keys().Select(k => k.Jwk).ToArray() }));

    public static HttpResponseMessage Json(object body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };

    public static string? Query(HttpRequestMessage request, string name) => HttpUtility.ParseQueryString(request.RequestUri!.Query)[name];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        if (Unreachable)
        {
            throw new HttpRequestException("Connection refused");
        }

        return Task.FromResult(_routes.TryGetValue(request.RequestUri!.GetLeftPart(UriPartial.Path), out var responder)
            ? responder(request)
            : new HttpResponseMessage(HttpStatusCode.NotFound));
    }
}

/// <summary>The clock, options and shared services of one provider test.</summary>
internal sealed class SocialTestHost
{
    public SocialTestHost(Action<BrokerOptions>? configure = null)
    {
        var options = new BrokerOptions();
        configure?.Invoke(options);
        Options = Microsoft.Extensions.Options.Options.Create(options);
        Reader = TestJwtReader.Create(StandIn, Options, Time);
        Api = new ProviderApi(new StubHttpClientFactory(StandIn), Options);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public SocialStandIn StandIn { get; } = new();

    public IOptions<BrokerOptions> Options { get; }

    public JwtReader Reader { get; }

    public ProviderApi Api { get; }

    public long Now => Time.GetUtcNow().ToUnixTimeSeconds();

    public static IdentityPool Pool(string providerKey, string appIds) => new()
    {
        IdentityPoolId = "us-east-1:00000000-0000-0000-0000-000000000001",
        IdentityPoolName = "p",
        AllowUnauthenticatedIdentities = false,
        SupportedLoginProviders = new Dictionary<string, string> { [providerKey] = appIds },
    };
}
