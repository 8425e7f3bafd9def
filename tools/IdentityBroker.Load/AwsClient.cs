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
        using var message = Request(HttpMethod.Post, "/", body, headers, service, signed);
        using var response = await _http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"{(int)response.StatusCode} from {endpoint}: {text}");
    }

    /// <summary>
    /// A request to <paramref name="path"/> (a path, with a query string for GET), signed with SigV4 for
    /// <paramref name="service"/> when <paramref name="signed"/>; the mixed-input run (MixedRun.cs) sends thousands.
    /// </summary>
    /// <param name="signedBody">The body the signature covers when it is not <paramref name="body"/> (a tampered request).</param>
    public HttpRequestMessage Request(HttpMethod method, string path, byte[] body, Dictionary<string, string> headers, string service, bool signed, byte[]? signedBody = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        if (signed)
        {
            headers = Sign(method, path, signedBody ?? body, headers, service);
        }

        var message = new HttpRequestMessage(method, new Uri(endpoint, path));
        if (method != HttpMethod.Get)
        {
            message.Content = new ByteArrayContent(body);
        }

        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                // TryAddWithoutValidation: the mixed-input run sends content types that do not parse, on purpose.
                message.Content?.Headers.TryAddWithoutValidation("Content-Type", value);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private Dictionary<string, string> Sign(HttpMethod method, string path, byte[] body, Dictionary<string, string> headers, string service)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        // AWSSDK.Core's own signer, on a request object it builds from the same parts (as the test kit does).
        var request = new DefaultRequest(new GetCallerIdentityRequest(), "IdentityBroker.Load")
        {
            Endpoint = endpoint,
            ResourcePath = query < 0 ? path : path[..query],
            HttpMethod = method.Method,
            Content = method == HttpMethod.Get ? null : body,
            AuthenticationRegion = "us-east-1",
            OverrideSigningServiceName = service,
        };
        foreach (var (name, value) in headers)
        {
            request.Headers[name] = value;
        }

        if (query >= 0)
        {
            foreach (var pair in path[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var at = pair.IndexOf('=', StringComparison.Ordinal);
                request.Parameters[Uri.UnescapeDataString(at < 0 ? pair : pair[..at])] = at < 0 ? string.Empty : Uri.UnescapeDataString(pair[(at + 1)..]);
            }

            request.UseQueryString = true;
        }

        var config = new AmazonSecurityTokenServiceConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1" };
        var result = new AWS4Signer().SignRequest(request, config, null, accessKeyId, secretAccessKey);
        request.Headers["Authorization"] = result.ForAuthorizationHeader;
        return new Dictionary<string, string>(request.Headers);
    }
}
