using System.Text;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Tests.Signing;

/// <summary>Keys held by a test: one principal per (access key id, session token).</summary>
internal sealed class TestPrincipals : ISigningPrincipalSource
{
    private readonly Dictionary<(string, string?), SigningPrincipal> _principals = [];

    public List<(string AccessKeyId, string? SessionToken)> Lookups { get; } = [];

    public TestPrincipals Add(string accessKeyId, string secret, string? sessionToken = null)
    {
        _principals[(accessKeyId, sessionToken)] = new SigningPrincipal(accessKeyId, secret, "arn:aws:iam::000000000000:root", "000000000000", IsAdmin: sessionToken is null);
        return this;
    }

    public ValueTask<SigningPrincipal?> FindAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken)
    {
        Lookups.Add((accessKeyId, sessionToken));
        return ValueTask.FromResult(_principals.GetValueOrDefault((accessKeyId, sessionToken)));
    }
}

/// <summary>Signs requests with AWSSDK.Core's own SigV4 signer, so the verifier is checked against an independent implementation.</summary>
internal static class SdkSigner
{
    public const string Endpoint = "http://127.0.0.1:5080";
    public const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    public const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public static readonly DateTime SignedAt = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);

    public static SignedRequest CognitoJson(string target, string json, string? sessionToken = null, string accessKeyId = AccessKeyId, string secret = Secret)
    {
        var request = NewRequest("POST", Encoding.UTF8.GetBytes(json));
        request.Headers["Content-Type"] = "application/x-amz-json-1.1";
        request.Headers["X-Amz-Target"] = "AWSCognitoIdentityService." + target;
        return Sign(request, "cognito-identity", sessionToken, accessKeyId, secret);
    }

    public static SignedRequest QueryForm(string service, string form, string? sessionToken = null)
    {
        var request = NewRequest("POST", Encoding.UTF8.GetBytes(form));
        request.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
        return Sign(request, service, sessionToken, AccessKeyId, Secret);
    }

    /// <summary>A presigned STS GetCallerIdentity URL (the form EKS tokens use), as the SDK's presigner builds it.</summary>
    public static SignedRequest PresignedGetCallerIdentity(int expiresSeconds)
    {
        var request = NewRequest("GET", null);
        request.Parameters["Action"] = "GetCallerIdentity";
        request.Parameters["Version"] = "2011-06-15";
        request.Parameters["X-Amz-Expires"] = expiresSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = AWS4PreSignedUrlSigner.SignRequest(request, Config(), null, AccessKeyId, Secret, "sts", "us-east-1", SignedAt);
        var url = new Uri(Amazon.Runtime.AmazonServiceClient.ComposeUrl(request).ToString());
        var query = url.Query.TrimStart('?') + "&" + result.ForQueryParameters;
        return new SignedRequest("GET", url.AbsolutePath, query, Headers(request), ReadOnlyMemory<byte>.Empty);
    }

    private static DefaultRequest NewRequest(string method, byte[]? body) =>
        new(new GetCallerIdentityRequest(), "IdentityBroker")
        {
            Endpoint = new Uri(Endpoint),
            ResourcePath = "/",
            HttpMethod = method,
            Content = body,
            AuthenticationRegion = "us-east-1",
        };

    private static SignedRequest Sign(DefaultRequest request, string service, string? sessionToken, string accessKeyId, string secret)
    {
        request.OverrideSigningServiceName = service;
        if (sessionToken is not null)
        {
            request.Headers["X-Amz-Security-Token"] = sessionToken;
        }

        var result = new AWS4Signer().SignRequest(request, Config(), null, accessKeyId, secret, SignedAt);
        request.Headers["Authorization"] = result.ForAuthorizationHeader;
        return new SignedRequest(request.HttpMethod, "/", string.Empty, Headers(request), request.Content);
    }

    private static AmazonSecurityTokenServiceConfig Config() => new() { ServiceURL = Endpoint, AuthenticationRegion = "us-east-1" };

    private static List<KeyValuePair<string, string>> Headers(DefaultRequest request) => [.. request.Headers];
}

internal static class SignedRequestMutations
{
    public static SignedRequest WithHeader(this SignedRequest request, string name, string? value)
    {
        var headers = request.Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (value is not null)
        {
            headers.Add(new(name, value));
        }

        return request with { Headers = headers };
    }
}
