using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityBroker.Tests.Integration;
using IdentityBroker.UserPools.Messages;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.UserPools.Messages;

/// <summary>The dev outbox over HTTP: a broker with no SMTP or SMS configured, read through the signed admin API.</summary>
[TestFixture]
public sealed class OutboxApiTests
{
    private BrokerServer _server = null!;
    private string _poolId = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        using var created = await _server.SignedUserPoolsAsync("CreateUserPool", """{"PoolName":"outbox"}""");
        using var document = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        _poolId = document.RootElement.GetProperty("UserPool").GetProperty("Id").GetString()!;
        var sender = _server.Services.GetRequiredService<IUserPoolMessageSender>();
        foreach (var (user, code) in new[] { ("alice", "111111"), ("bob", "222222"), ("alice", "333333") })
        {
            var message = UserPoolMessageComposer.Code(MessageTemplates.Default, _poolId, user, MessageChannel.Email,
                MessagePurpose.SignUpConfirmation, user + "@example.com", code);
            Assert.That((await sender.SendAsync(message, CancellationToken.None)).IsSuccess, Is.True);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task An_admin_reads_a_users_latest_messages_newest_first()
    {
        using var response = await GetAsync($"/admin/api/userpools/{_poolId}/outbox?username=alice");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        var messages = JsonDocument.Parse(body).RootElement.GetProperty("Messages").EnumerateArray().ToList();
        Assert.That(messages.Select(m => m.GetProperty("Body").GetString()),
            Is.EqualTo(new[] { "Your verification code is 333333. ", "Your verification code is 111111. " }));
        var first = messages[0];
        Assert.That(first.GetProperty("Channel").GetString(), Is.EqualTo("EMAIL"));
        Assert.That(first.GetProperty("Purpose").GetString(), Is.EqualTo("SignUpConfirmation"));
        Assert.That(first.GetProperty("Destination").GetString(), Is.EqualTo("alice@example.com"));
        Assert.That(first.GetProperty("Subject").GetString(), Is.EqualTo("Your verification code"));
        Assert.That(first.GetProperty("Time").GetDateTimeOffset(), Is.Not.EqualTo(default(DateTimeOffset)));
    }

    [Test]
    public async Task Without_a_username_the_whole_pools_outbox_is_returned()
    {
        using var response = await GetAsync($"/admin/api/userpools/{_poolId}/outbox");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("Messages").GetArrayLength(), Is.EqualTo(3));
    }

    [Test]
    public async Task An_unsigned_read_is_refused()
    {
        using var response = await _server.Http.GetAsync(new Uri($"/admin/api/userpools/{_poolId}/outbox", UriKind.Relative));

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(response.Headers.GetValues("x-amzn-ErrorType").Single(), Does.StartWith("MissingAuthenticationTokenException"));
    }

    [Test]
    public async Task An_unknown_pool_is_resource_not_found()
    {
        using var response = await GetAsync("/admin/api/userpools/us-east-1_nosuchpool/outbox");

        Assert.That(response.Headers.GetValues("x-amzn-ErrorType").Single(), Does.StartWith("ResourceNotFoundException"));
    }

    private Task<HttpResponseMessage> GetAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path) { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        return _server.Http.SendAsync(_server.Sign(request, "execute-api", string.Empty,
            new SigningKey(BrokerServer.AccessKeyId, BrokerServer.Secret, null)));
    }
}
