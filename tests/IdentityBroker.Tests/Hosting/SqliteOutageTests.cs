using IdentityBroker.Server;
using IdentityBroker.Server.Hosting;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Tests.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace IdentityBroker.Tests.Hosting;

/// <summary>
/// The HTTP edge knows one store outage, whichever store: a SQLite file another process keeps locked is answered with
/// AWS's retryable 503 and one outage log line, like Redis being down, not with an internal error.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SqliteOutageTests
{
    [Test]
    public async Task A_write_while_another_process_locks_the_database_gets_503_ServiceUnavailable_and_an_outage_line()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("broker-outage-").FullName;
        var logs = new FakeLogCollector();
        var app = BrokerApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Broker:DataDirectory"] = dataDirectory;
            builder.Configuration["Broker:Admin:AccessKeyId"] = BrokerServer.AccessKeyId;
            builder.Configuration["Broker:Admin:SecretAccessKey"] = BrokerServer.Secret;
            builder.Logging.ClearProviders().AddProvider(new FakeLoggerProvider(logs));
            builder.Services.PostConfigure<SqliteStoreOptions>(o => o.BusyTimeout = TimeSpan.FromMilliseconds(50));
        });
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            var getId = $$"""{"IdentityPoolId":"{{(await File.ReadAllTextAsync(Path.Combine(dataDirectory, DemoSeeder.PoolIdFile))).Trim()}}"}""";

            await using var other = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(dataDirectory, SqliteStoreOptions.FileName),
                Pooling = false,
            }.ToString());
            await other.OpenAsync();
            await using (other.BeginTransaction(deferred: false))
            {
                using var refused = await http.SendAsync(CognitoRequest("GetId", getId));
                var body = await refused.Content.ReadAsStringAsync();
                await AwsErrorAssert.IsJsonErrorAsync(refused, "ServiceUnavailable", 503);
                Assert.That(body, Does.Not.Contain("Exception").And.Not.Contain(dataDirectory));
            }

            Assert.That(
                logs.GetSnapshot().Where(r => r.Id.Id == 9002).Select(r => r.Message),
                Has.One.Contains("locked by another process"),
                "one outage line, not an unhandled-error stack trace");
            Assert.That(logs.GetSnapshot().Where(r => r.Id.Id == 9001), Is.Empty);

            using var answered = await http.SendAsync(CognitoRequest("GetId", getId));
            await AwsErrorAssert.IsSuccessAsync(answered);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static HttpRequestMessage CognitoRequest(string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityService." + operation);
        return request;
    }
}
