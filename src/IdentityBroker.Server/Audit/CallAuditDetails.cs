using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityBroker.Audit;
using IdentityBroker.Observability;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Services;

namespace IdentityBroker.Server.Hosting;

/// <summary>
/// Builds a call's <see cref="CallDetails"/> at the edge, for the services the audit trail records only: the redacted request
/// parameters, the user agent, the identity id of a Cognito Identity reply and the error message of an error reply.
/// </summary>
internal static partial class CallAuditDetails
{
    private const int MaxUserAgent = 1024;

    public static CallDetails? From(HttpContext context, AwsCall? call, ProtocolResponse response, CallAuditCapture? capture)
    {
        if (call?.Route is not { } route || AuditEventBuilder.EventSource(route.Service) is null)
        {
            return null;
        }

        var parameters = route.Protocol switch
        {
            AwsProtocol.Json11 => AuditRedaction.FromJson(call.Request.Body),
            AwsProtocol.Query => AuditRedaction.FromQuery(call.Parameters),
            _ => null,
        };
        var userAgent = context.Request.Headers.UserAgent.ToString();
        var identityId = response.ErrorType is null && route.Service == "cognito-identity" ? Member(response.Body, "IdentityId") : null;
        return new CallDetails(
            userAgent.Length > MaxUserAgent ? userAgent[..MaxUserAgent] : userAgent,
            parameters,
            capture,
            identityId,
            call.Caller?.Arn,
            call.Caller?.UserId)
        {
            ErrorMessage = response.ErrorType is null ? null : ErrorMessage(route.Protocol, response.Body),
        };
    }

    private static string? ErrorMessage(AwsProtocol protocol, ReadOnlyMemory<byte> body)
    {
        if (protocol == AwsProtocol.Query)
        {
            var match = XmlMessage().Match(Encoding.UTF8.GetString(body.Span));
            return match.Success ? System.Net.WebUtility.HtmlDecode(match.Groups[1].Value) : null;
        }

        return Member(body, "message") ?? Member(body, "Message");
    }

    /// <summary>A top-level string member of a JSON reply, read without building a document.</summary>
    private static string? Member(ReadOnlyMemory<byte> body, string name)
    {
        try
        {
            var reader = new Utf8JsonReader(body.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                reader.Read();
                if (match && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    [GeneratedRegex("<Message>([^<]{0,2048})</Message>", RegexOptions.CultureInvariant)]
    private static partial Regex XmlMessage();
}
