using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace IdentityBroker.Load;

/// <summary>
/// Set-up calls against the broker or moto_server: AWS JSON 1.1 (Cognito) and AWS Query (IAM), signed with AWSSDK.Core's
/// SigV4 signer when a key is given. Only used before and between measured runs, never during one.
/// </summary>
public sealed partial class AwsClient(Uri endpoint, string accessKeyId, string secretAccessKey) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task<JsonElement> CognitoAsync(string operation, object body, bool signed = true)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(body);
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/x-amz-json-1.1",
            ["X-Amz-Target"] = "AWSCognitoIdentityService." + operation,
        };
        var text = await SendAsync(json, headers, "cognito-identity", signed);
        return string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A Cognito User Pools (cognito-idp) call; the public and access-token operations go unsigned.</summary>
    public async Task<JsonElement> UserPoolsAsync(string operation, object body, bool signed = true)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(body);
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/x-amz-json-1.1",
            ["X-Amz-Target"] = "AWSCognitoIdentityProviderService." + operation,
        };
        var text = await SendAsync(json, headers, "cognito-idp", signed);
        return string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>An IAM Query action; returns the text of the first element named <paramref name="resultElement"/>.</summary>
    public async Task<string> IamAsync(IReadOnlyDictionary<string, string> parameters, string resultElement)
    {
        var form = string.Join('&', new Dictionary<string, string>(parameters) { ["Version"] = "2010-05-08" }
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8" };
        var text = await SendAsync(Encoding.UTF8.GetBytes(form), headers, "iam", signed: true);
        var match = Regex.Match(text, $"<{resultElement}>([^<]*)</{resultElement}>");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"No {resultElement} in: {text}");
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> SendAsync(byte[] body, Dictionary<string, string> headers, string service, bool signed)
    {
        if (signed)
        {
            headers = Sign(body, headers, service);
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await _http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"{(int)response.StatusCode} from {endpoint}: {text}");
    }

    private Dictionary<string, string> Sign(byte[] body, Dictionary<string, string> headers, string service)
    {
        // AWSSDK.Core's own signer, on a request object it builds from the same parts (as the test kit does).
        var request = new DefaultRequest(new GetCallerIdentityRequest(), "IdentityBroker.Load")
        {
            Endpoint = endpoint,
            ResourcePath = "/",
            HttpMethod = "POST",
            Content = body,
            AuthenticationRegion = "us-east-1",
            OverrideSigningServiceName = service,
        };
        foreach (var (name, value) in headers)
        {
            request.Headers[name] = value;
        }

        var config = new AmazonSecurityTokenServiceConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1" };
        var result = new AWS4Signer().SignRequest(request, config, null, accessKeyId, secretAccessKey);
        request.Headers["Authorization"] = result.ForAuthorizationHeader;
        return new Dictionary<string, string>(request.Headers);
    }
}
