using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IdentityBroker.Errors;

namespace IdentityBroker.Protocol.Json;

/// <summary>Writes AWS JSON 1.1 replies: the body, <c>x-amzn-RequestId</c>, and for errors <c>x-amzn-ErrorType: Type:</c> (Smithy awsJson1_1 protocol).</summary>
public static class JsonReplies
{
    public const string ContentType = "application/x-amz-json-1.1";

    /// <summary>REST-JSON services (Cognito Sync) and the admin API answer plain JSON.</summary>
    public const string RestContentType = "application/json";

    private static readonly ReadOnlyMemory<byte> EmptyObject = "{}"u8.ToArray();

    public static ProtocolResponse Success<T>(T value, JsonTypeInfo<T> typeInfo, string requestId) =>
        new(200, ContentType, ReplyJson.Serialize(value, typeInfo), [new("x-amzn-RequestId", requestId)]);

    /// <summary>
    /// Operations without output members answer an empty JSON object, as AWS does (e.g. ConfirmSignUp,
    /// SetUserMFAPreference): Amplify parses every success body as JSON and fails on an empty one; the SDKs accept both.
    /// </summary>
    public static ProtocolResponse Empty(string requestId) =>
        new(200, ContentType, EmptyObject, [new("x-amzn-RequestId", requestId)]);

    public static ProtocolResponse Error(AwsError error, string requestId) => Error(error, requestId, ContentType);

    /// <summary>The JSON error document in <paramref name="contentType"/>: JSON 1.1's, or REST-JSON's, which differs only in its media type.</summary>
    public static ProtocolResponse Error(AwsError error, string requestId, string contentType)
    {
        ArgumentNullException.ThrowIfNull(error);
        var body = ReplyJson.Serialize(new JsonErrorBody(error.Type, error.Message), CognitoJsonContext.Default.JsonErrorBody);
        return new(error.StatusCode, contentType, body,
        [
            new("x-amzn-RequestId", requestId),
            new("x-amzn-ErrorType", error.Type + ":"),
            new("x-amzn-ErrorMessage", HeaderSafe(error.Message)),
            .. error.RetryHeaders(),
        ]) { ErrorType = error.Type };
    }

    /// <summary>Header values must be printable ASCII on one line.</summary>
    private static string HeaderSafe(string message)
    {
        var builder = new StringBuilder(Math.Min(message.Length, 512));
        foreach (var c in message.AsSpan(0, Math.Min(message.Length, 512)))
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString();
    }
}
