using System.Text.Json;

namespace IdentityBroker.Tests.Integration;

/// <summary>SetUICustomization and GetUICustomization on the wire: per pool (ALL) and per client, the fallback, and the refusals.</summary>
[TestFixture]
[NonParallelizable]
public sealed class UiCustomizationApiTests
{
    private const string Css = ".banner-customizable { background-color: #0a66c2; }";

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> SignedAsync(string operation, object body)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, JsonSerializer.Serialize(body));
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<string> ErrorAsync(string operation, object body, string type)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, JsonSerializer.Serialize(body));
        return await AwsErrorAssert.IsJsonErrorAsync(response, type);
    }

    private async Task<(string PoolId, string ClientId)> PoolAsync()
    {
        var id = (await SignedAsync("CreateUserPool", new { PoolName = "branded" })).GetProperty("UserPool").GetProperty("Id").GetString()!;
        var client = await SignedAsync("CreateUserPoolClient", new { UserPoolId = id, ClientName = "web" });
        return (id, client.GetProperty("UserPoolClient").GetProperty("ClientId").GetString()!);
    }

    [Test]
    public async Task The_pools_customization_applies_to_a_client_until_the_client_has_its_own()
    {
        var (poolId, clientId) = await PoolAsync();
        var set = (await SignedAsync("SetUICustomization", new { UserPoolId = poolId, ClientId = "ALL", CSS = Css, ImageFile = Png }))
            .GetProperty("UICustomization");
        Assert.That(set.GetProperty("ClientId").GetString(), Is.EqualTo("ALL"));
        Assert.That(set.GetProperty("CSS").GetString(), Is.EqualTo(Css));
        Assert.That(set.GetProperty("ImageUrl").GetString(), Does.Contain("client_id=ALL"));
        Assert.That(set.TryGetProperty("CSSVersion", out _) && set.TryGetProperty("CreationDate", out _), Is.True);

        var fallback = (await SignedAsync("GetUICustomization", new { UserPoolId = poolId, ClientId = clientId })).GetProperty("UICustomization");
        Assert.That(fallback.GetProperty("CSS").GetString(), Is.EqualTo(Css));

        const string own = ".label-customizable { color: #333333; }";
        await SignedAsync("SetUICustomization", new { UserPoolId = poolId, ClientId = clientId, CSS = own });
        var client = (await SignedAsync("GetUICustomization", new { UserPoolId = poolId, ClientId = clientId })).GetProperty("UICustomization");
        Assert.That(client.GetProperty("ClientId").GetString(), Is.EqualTo(clientId));
        Assert.That(client.GetProperty("CSS").GetString(), Is.EqualTo(own));
        Assert.That(client.TryGetProperty("ImageUrl", out _), Is.False, "the client's own customization has no logo and no fallback");

        var all = (await SignedAsync("GetUICustomization", new { UserPoolId = poolId })).GetProperty("UICustomization");
        Assert.That(all.GetProperty("CSS").GetString(), Is.EqualTo(Css));
    }

    [Test]
    public async Task The_image_url_is_absolute_and_a_browser_loads_the_logo_from_it_for_a_pool_without_a_domain()
    {
        var (poolId, clientId) = await PoolAsync();
        await SignedAsync("SetUICustomization", new { UserPoolId = poolId, ClientId = clientId, CSS = Css, ImageFile = Png });
        var url = (await SignedAsync("GetUICustomization", new { UserPoolId = poolId, ClientId = clientId }))
            .GetProperty("UICustomization").GetProperty("ImageUrl").GetString()!;

        using var browser = new HttpClient();
        using var logo = await browser.GetAsync(new Uri(url, UriKind.Absolute));
        using var otherPool = await browser.GetAsync(new Uri(url.Replace(poolId, "us-east-1_NoSuchPool1", StringComparison.Ordinal)));
        var bytes = await logo.Content.ReadAsByteArrayAsync();

        Assert.Multiple(() =>
        {
            Assert.That(Uri.IsWellFormedUriString(url, UriKind.Absolute), Is.True, url);
            Assert.That(url, Does.StartWith(_server.BaseAddress.GetLeftPart(UriPartial.Authority) + "/" + poolId + "/logo?"));
            Assert.That(logo.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
            Assert.That(logo.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
            Assert.That(bytes, Is.EqualTo(Png));
            Assert.That(logo.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
            Assert.That(otherPool.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Css_that_can_do_more_than_style_and_a_logo_that_is_not_an_image_are_refused()
    {
        var (poolId, _) = await PoolAsync();

        Assert.That(await ErrorAsync("SetUICustomization", new { UserPoolId = poolId, CSS = "</style><script>alert(1)</script>" }, "InvalidParameterException"),
            Does.StartWith("The CSS is not valid: "));
        Assert.That(await ErrorAsync("SetUICustomization", new { UserPoolId = poolId, CSS = ".banner-customizable { background-color: url(x); }" },
            "InvalidParameterException"), Does.Contain("url()"));
        Assert.That(await ErrorAsync("SetUICustomization", new { UserPoolId = poolId, ImageFile = "<svg onload=alert(1)>"u8.ToArray() },
            "InvalidParameterException"), Is.EqualTo("The image file must be a PNG or JPEG image."));
        var unchanged = (await SignedAsync("GetUICustomization", new { UserPoolId = poolId })).GetProperty("UICustomization");
        Assert.That(unchanged.TryGetProperty("CSS", out _), Is.False);
    }

    [Test]
    public async Task An_unknown_pool_or_client_is_not_found()
    {
        var (poolId, _) = await PoolAsync();

        await ErrorAsync("GetUICustomization", new { UserPoolId = "us-east-1_Missing1" }, "ResourceNotFoundException");
        await ErrorAsync("SetUICustomization", new { UserPoolId = poolId, ClientId = "nosuchclient1234567890", CSS = Css }, "ResourceNotFoundException");
    }
}
