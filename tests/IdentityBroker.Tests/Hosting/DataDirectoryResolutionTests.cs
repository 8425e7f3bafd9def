using System.Diagnostics;
using IdentityBroker.Server;
using IdentityBroker.Server.Hosting;
using IdentityBroker.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Tests.Hosting;

[TestFixture]
public sealed class DataDirectoryResolutionTests
{
    private static readonly string Cwd = Path.Combine(Path.GetTempPath(), "where-the-user-is");

    [TestCase("./data", "data")]
    [TestCase("data", "data")]
    [TestCase("state/broker", "state/broker")]
    [TestCase("../elsewhere", "../elsewhere")]
    public void A_relative_data_directory_is_resolved_against_the_current_directory(string configured, string underCwd)
    {
        var options = new BrokerOptions { DataDirectory = configured };

        new DataDirectoryResolution(Cwd).PostConfigure(null, options);

        Assert.That(options.DataDirectory, Is.EqualTo(Path.GetFullPath(Path.Combine(Cwd, underCwd))));
    }

    [Test]
    public void An_absolute_data_directory_is_kept()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "broker-state");
        var options = new BrokerOptions { DataDirectory = absolute };

        new DataDirectoryResolution(Cwd).PostConfigure(null, options);

        Assert.That(options.DataDirectory, Is.EqualTo(absolute));
    }

    [Test]
    public async Task The_host_resolves_the_data_directory_against_the_process_current_directory_and_reads_settings_from_the_application_folder()
    {
        await using var app = BrokerApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Configuration["Broker:DataDirectory"] = "relative-data");

        Assert.Multiple(() =>
        {
            var expected = Path.GetFullPath("relative-data", Environment.CurrentDirectory);
            Assert.That(app.Services.GetRequiredService<IOptions<BrokerOptions>>().Value.DataDirectory, Is.EqualTo(expected));
            Assert.That(app.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.DataDirectory, Is.EqualTo(expected));
            Assert.That(Path.TrimEndingDirectorySeparator(app.Environment.ContentRootPath),
                Is.EqualTo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)));
        });
    }

    [Test]
    public async Task Dotnet_run_starts_the_broker_in_the_directory_it_is_called_from()
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["msbuild", "src/IdentityBroker.Server/IdentityBroker.Server.csproj", "-nologo", "-getProperty:RunWorkingDirectory"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.Zero, await process.StandardError.ReadToEndAsync());
        Assert.That(Path.TrimEndingDirectorySeparator(output.Trim()), Is.EqualTo(root));
    }

    private static string RepositoryRoot() => RepositoryCheckout.Root();
}
