using IdentityBroker.Configuration;
using IdentityBroker.Server.Configuration;

namespace IdentityBroker.Tests.Configuration;

/// <summary>The CLI on the data directory (no --url): the same planner as the admin API, on the configured store, without a server.</summary>
[TestFixture]
public sealed class ConfigurationCommandTests
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""";

    private string _directory = null!;

    [SetUp]
    public void NewDataDirectory() => _directory = Directory.CreateTempSubdirectory("broker-cli-").FullName;

    [TearDown]
    public void RemoveDataDirectory()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file still held open by the pool is harmless in a temp folder.
        }
    }

    [Test]
    public async Task Export_plan_and_apply_work_on_the_data_directory_and_report_write_time_errors()
    {
        var file = Path.Combine(_directory, "broker.yaml");
        var (code, output) = await RunAsync("export", file);
        Assert.That(code, Is.Zero, output);
        var document = ConfigurationYaml.Read(await File.ReadAllTextAsync(file)).Value;
        Assert.That(document.Roles, Is.Empty);

        document.Roles!.Add(new RoleDocument { RoleName = "Cli", Description = "from the CLI", AssumeRolePolicyDocument = Trust });
        await File.WriteAllTextAsync(file, ConfigurationYaml.Write(document));
        (code, output) = await RunAsync("plan", file);
        Assert.That((code, output.Trim()), Is.EqualTo((0, "+ create Role Cli")));

        (code, output) = await RunAsync("apply", file);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("Outcome: Applied"));
        (code, output) = await RunAsync("plan", file);
        Assert.That((code, output.Trim()), Is.EqualTo((0, "No changes: the broker is as the document says.")), "CreateRole's defaults match the document leaving them out");
        var again = Path.Combine(_directory, "again.yaml");
        Assert.That((await RunAsync("export", again)).Code, Is.Zero);
        Assert.That(await File.ReadAllTextAsync(again), Does.Contain("RoleName: Cli").And.Contain("Description: from the CLI"));

        document.Roles.Add(new RoleDocument { RoleName = "Bad", AssumeRolePolicyDocument = "{not json" });
        await File.WriteAllTextAsync(file, ConfigurationYaml.Write(document));
        (code, output) = await RunAsync("apply", file);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("! Role Bad: MalformedPolicyDocument:").And.Contain("Outcome: Refused"));
    }

    [Test]
    public async Task Usage_errors_exit_2_without_touching_anything()
    {
        var output = new StringWriter();
        Assert.That(await ConfigurationCommand.RunAsync("plan", [], output), Is.EqualTo(2));
        Assert.That(output.ToString(), Does.Contain("--file is required"));
        Assert.That(await ConfigurationCommand.RunAsync("plan", ["--file", Path.Combine(_directory, "missing.yaml")], new StringWriter()), Is.EqualTo(2));
        Assert.That(await ConfigurationCommand.RunAsync("plan", ["--file", "x", "--url", "ftp://host"], new StringWriter()), Is.EqualTo(2));
    }

    private async Task<(int Code, string Output)> RunAsync(string command, string file)
    {
        var output = new StringWriter();
        var code = await ConfigurationCommand.RunAsync(command, ["--file", file, "--Broker:DataDirectory", _directory], output);
        return (code, output.ToString());
    }
}
