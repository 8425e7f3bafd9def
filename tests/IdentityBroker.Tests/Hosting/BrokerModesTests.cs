using IdentityBroker.Server;
using IdentityBroker.Server.Hosting;
using IdentityBroker.Storage;
using IdentityBroker.Storage.Redis;
using IdentityBroker.Storage.Sqlite;
using IdentityBroker.Sts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tests.Hosting;

/// <summary>Broker:Store and Broker:Sts:Mode: one of their names in any case, else the start stops naming the key.</summary>
public sealed class BrokerModesTests
{
    [TestCase(null, StoreKind.Sqlite)]
    [TestCase("sqlite", StoreKind.Sqlite)]
    [TestCase("redis", StoreKind.Redis)]
    [TestCase("Redis", StoreKind.Redis)]
    [TestCase("SQLITE", StoreKind.Sqlite)]
    public void A_store_name_in_any_case_selects_that_store(string? value, StoreKind expected) =>
        Assert.That(BrokerModes.Read(Configuration(("Broker:Store", value))), Is.EqualTo(expected));

    [TestCase("postgres")]
    [TestCase("1")]
    [TestCase("")]
    [TestCase(" redis")]
    [TestCase("Sqlite,Redis")]
    public void Anything_but_a_store_name_stops_the_start_naming_the_key_and_the_choices(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => BrokerModes.Read(Configuration(("Broker:Store", value))));
        Assert.That(error!.Failures, Is.EqualTo(new[] { $"Broker:Store '{value}' is not available: use 'sqlite' or 'redis'." }));
    }

    [TestCase("embedded")]
    [TestCase("AWS")]
    [TestCase("Embedded")]
    public void An_sts_mode_in_any_case_is_accepted(string value) =>
        Assert.DoesNotThrow(() => BrokerModes.Read(Configuration(("Broker:Sts:Mode", value))));

    [TestCase("local")]
    [TestCase("0")]
    public void Anything_but_an_sts_mode_name_stops_the_start_naming_the_key(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => BrokerModes.Read(Configuration(("Broker:Sts:Mode", value))));
        Assert.That(error!.Failures, Is.EqualTo(new[] { $"Broker:Sts:Mode must be 'embedded' or 'aws', not '{value}'." }));
    }

    [Test]
    public void Both_bad_modes_are_reported_together() =>
        Assert.That(
            Assert.Throws<OptionsValidationException>(() => BrokerModes.Read(Configuration(("Broker:Store", "x"), ("Broker:Sts:Mode", "y"))))!.Failures,
            Has.Exactly(2).Items);

    [Test]
    public async Task The_broker_built_with_modes_in_another_case_registers_that_store_and_binds_the_modes()
    {
        var app = BrokerApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Broker:Store"] = "Redis";
            builder.Configuration["Broker:Redis:Configuration"] = "127.0.0.1:1";
            builder.Configuration["Broker:Sts:Mode"] = "AWS";
        });
        await using (app)
        {
            var options = app.Services.GetRequiredService<IOptions<BrokerOptions>>().Value;
            Assert.Multiple(() =>
            {
                Assert.That(options.Store, Is.EqualTo(StoreKind.Redis));
                Assert.That(options.Sts.Mode, Is.EqualTo(StsMode.Aws));
                Assert.That(app.Services.GetRequiredService<IOptions<RedisStoreOptions>>().Value.Configuration, Is.EqualTo("127.0.0.1:1"), "AddRedisStore bound Broker:Redis");
                Assert.That(app.Services.GetService<SqliteBrokerStore>(), Is.Null, "no SQLite store is registered");
            });
        }
    }

    [Test]
    public void Building_the_broker_with_an_unknown_store_fails_before_any_service_is_registered()
    {
        var error = Assert.Throws<OptionsValidationException>(() => BrokerApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
            builder.Configuration["Broker:Store"] = "postgres"));
        Assert.That(error!.Message, Does.Contain("Broker:Store 'postgres' is not available"));
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build();
}
