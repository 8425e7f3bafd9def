using IdentityBroker.Configuration;
using IdentityBroker.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace IdentityBroker.Server.Configuration;

/// <summary>
/// The configuration document in YAML (YamlDotNet). A JSON document is YAML too, so both read the same way. Members are
/// written in the document types' order and null members are left out, so one state always gives the same text.
/// </summary>
internal static class ConfigurationYaml
{
    public const string ContentType = "application/yaml";

    private static readonly ISerializer Writer = new SerializerBuilder()
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .DisableAliases()
        .WithTypeConverter(new JsonNodeYaml())
        .Build();

    // Unknown members are an error (a misspelt key must not be silently ignored); inside settings, the service model's
    // own validation names what it does not know.
    private static readonly IDeserializer Reader = new DeserializerBuilder().WithTypeConverter(new JsonNodeYaml()).Build();

    public static string Write(BrokerDocument document) => Writer.Serialize(document);

    public static Result<BrokerDocument> Read(string text)
    {
        try
        {
            var document = Reader.Deserialize<BrokerDocument?>(text);
            if (document is null)
            {
                return Invalid("The configuration document is empty.");
            }

            return document.Version == BrokerDocument.CurrentVersion
                ? document
                : Invalid($"The configuration document's Version is {document.Version}; this broker reads Version {BrokerDocument.CurrentVersion}.");
        }
        catch (YamlException e)
        {
            // The position and the library's reason, never the document's text.
            return Invalid($"The configuration document is not valid at line {e.Start.Line}, column {e.Start.Column}: {Reason(e)}");
        }
    }

    private static string Reason(YamlException e)
    {
        var inner = e.InnerException is YamlException nested ? nested : e;
        var message = inner.Message;
        var closing = message.IndexOf("): ", StringComparison.Ordinal);
        return closing >= 0 ? message[(closing + 3)..] : message;
    }

    private static AwsError Invalid(string message) => CognitoErrors.InvalidParameter(message);
}
