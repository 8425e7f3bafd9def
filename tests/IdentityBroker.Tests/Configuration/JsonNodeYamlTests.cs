using System.Text.Json.Nodes;
using IdentityBroker.Configuration;
using IdentityBroker.Server.Configuration;

namespace IdentityBroker.Tests.Configuration;

/// <summary>A user pool's free-form Settings in YAML: typed by the YAML 1.2 core schema, written so that they read back the same.</summary>
[TestFixture]
public sealed class JsonNodeYamlTests
{
    private static JsonObject SettingsOf(string yaml) =>
        ConfigurationYaml.Read($"Version: 1\nUserPools:\n- PoolName: p\n  Settings:\n{yaml}").Value.UserPools!.Single().Settings!;

    [Test]
    public void Plain_scalars_are_booleans_numbers_and_null_and_quoted_ones_are_strings()
    {
        var settings = SettingsOf("    A: true\n    B: 8\n    C: 'true'\n    D: \"8\"\n    E: ~\n    F: text\n    G: [1, x]\n    H: {I: 2.5}\n");

        Assert.That(settings.ToJsonString(), Is.EqualTo("""{"A":true,"B":8,"C":"true","D":"8","E":null,"F":"text","G":[1,"x"],"H":{"I":2.5}}"""));
    }

    [Test]
    public void Strings_that_would_read_as_something_else_are_written_quoted_and_read_back_the_same()
    {
        var settings = new JsonObject { ["A"] = "true", ["B"] = "8", ["C"] = "null", ["D"] = "", ["E"] = "plain words", ["F"] = 3, ["G"] = false };
        var document = new BrokerDocument { UserPools = [new UserPoolDocument { PoolName = "p", Settings = settings }] };

        var read = ConfigurationYaml.Read(ConfigurationYaml.Write(document)).Value.UserPools!.Single().Settings!;

        Assert.That(read.ToJsonString(), Is.EqualTo(settings.ToJsonString()));
    }

    [Test]
    public void Settings_nested_without_bound_or_with_an_alias_are_a_clear_error()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40));
        var nested = ConfigurationYaml.Read($"Version: 1\nUserPools:\n- PoolName: p\n  Settings: {{A: {deep}}}\n");
        Assert.That(nested.IsSuccess, Is.False);
        Assert.That(nested.Error!.Message, Does.Contain("nested deeper than 32"));

        var alias = ConfigurationYaml.Read("Version: 1\nUserPools:\n- PoolName: p\n  Settings: {A: &x [1], B: *x}\n");
        Assert.That(alias.IsSuccess, Is.False);
        Assert.That(alias.Error!.Type, Is.EqualTo("InvalidParameterException"));
    }
}
