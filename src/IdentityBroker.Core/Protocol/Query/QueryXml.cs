using System.Text;
using System.Xml;
using IdentityBroker.Errors;

namespace IdentityBroker.Protocol.Query;

/// <summary>Writes AWS Query replies: <c>&lt;{Action}Response&gt;&lt;{Action}Result&gt;…</c> and the ErrorResponse document.</summary>
public static class QueryXml
{
    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Indent = false, OmitXmlDeclaration = false };

    /// <summary>Writes a success reply; <paramref name="writeResult"/> writes the children of the Result element (may write nothing).</summary>
    public static ProtocolResponse Success(string action, string xmlNamespace, string requestId, Action<XmlWriter> writeResult)
    {
        ArgumentNullException.ThrowIfNull(writeResult);
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, Settings))
        {
            writer.WriteStartElement(action + "Response", xmlNamespace);
            writer.WriteStartElement(action + "Result");
            writeResult(writer);
            writer.WriteEndElement();
            WriteRequestMetadata(writer, requestId);
            writer.WriteEndElement();
        }

        return Reply(200, buffer.ToArray(), requestId);
    }

    /// <summary>The AWS Query error document: ErrorResponse/Error/{Type,Code,Message} and RequestId.</summary>
    public static ProtocolResponse Error(AwsError error, string xmlNamespace, string requestId)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Type == CognitoErrors.ThrottlingType)
        {
            // The one throttling error of the error model, in Query's words: IAM and STS answer Throttling.
            error = error with { Type = "Throttling" };
        }

        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, Settings))
        {
            writer.WriteStartElement("ErrorResponse", xmlNamespace);
            writer.WriteStartElement("Error");
            writer.WriteElementString("Type", error.IsSenderFault ? "Sender" : "Receiver");
            writer.WriteElementString("Code", error.Type);
            writer.WriteElementString("Message", error.Message);
            writer.WriteEndElement();
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
        }

        return new(error.StatusCode, "text/xml", buffer.ToArray(), [new("x-amzn-RequestId", requestId), .. error.RetryHeaders()])
        {
            ErrorType = error.Type,
        };
    }

    /// <summary>Writes an ISO-8601 UTC timestamp the way AWS Query services do.</summary>
    public static void WriteTimestamp(XmlWriter writer, string name, DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteElementString(name, value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void WriteRequestMetadata(XmlWriter writer, string requestId)
    {
        writer.WriteStartElement("ResponseMetadata");
        writer.WriteElementString("RequestId", requestId);
        writer.WriteEndElement();
    }

    private static ProtocolResponse Reply(int status, byte[] body, string requestId, string? errorType = null) =>
        new(status, "text/xml", body, [new("x-amzn-RequestId", requestId)]) { ErrorType = errorType };
}
