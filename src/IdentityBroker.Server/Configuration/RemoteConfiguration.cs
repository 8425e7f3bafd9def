using System.Text;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace IdentityBroker.Server.Configuration;

/// <summary>
/// The CLI's client of a running broker's configuration endpoints, signed with SigV4 by AWSSDK.Core's own signer (service
/// <c>execute-api</c>, as any SigV4 client signs an API) with the admin key the AWS tools read from the environment.
/// </summary>
internal sealed class RemoteConfiguration(Uri broker)
{
    private const string Region = "us-east-1";

    public async Task<(int Status, string Body)> SendAsync(string command, string? document)
    {
        var accessKeyId = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secretAccessKey = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(accessKeyId) || string.IsNullOrEmpty(secretAccessKey))
        {
            throw new InvalidOperationException("--url needs the broker's admin key in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
        }

        var path = command == "export" ? "/admin/api/config" : $"/admin/api/config/{command}";
        var method = command == "export" ? HttpMethod.Get : HttpMethod.Post;
        var body = document is null ? [] : Encoding.UTF8.GetBytes(document);
        using var message = new HttpRequestMessage(method, new Uri(broker, path));
        foreach (var (name, value) in Sign(method, path, body, accessKeyId, secretAccessKey))
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (method == HttpMethod.Post)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", ConfigurationYaml.ContentType);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        using var response = await http.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private List<KeyValuePair<string, string>> Sign(HttpMethod method, string path, byte[] body, string accessKeyId, string secretAccessKey)
    {
        var request = new DefaultRequest(new GetCallerIdentityRequest(), "IdentityBroker.Configuration")
        {
            Endpoint = broker,
            ResourcePath = path,
            HttpMethod = method.Method,
            Content = method == HttpMethod.Get ? null : body,
            AuthenticationRegion = Region,
            OverrideSigningServiceName = "execute-api",
        };
        if (method == HttpMethod.Post)
        {
            request.Headers["Content-Type"] = ConfigurationYaml.ContentType;
        }

        var config = new AmazonSecurityTokenServiceConfig { ServiceURL = broker.ToString(), AuthenticationRegion = Region };
        var result = new AWS4Signer().SignRequest(request, config, null, accessKeyId, secretAccessKey);
        request.Headers["Authorization"] = result.ForAuthorizationHeader;

        // Host and Content-Type are HttpClient's to send (from the URI and the content); the signature covers the same values.
        return request.Headers.Where(h => h.Key is not ("Host" or "Content-Type")).ToList();
    }
}
