using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Credentials;

/// <summary>
/// Mints through an STS endpoint with AWSSDK.SecurityToken: AWS itself, or any STS-compatible service at
/// <c>Broker:Sts:ServiceUrl</c>. AssumeRoleWithWebIdentity is unsigned, so the client has anonymous credentials.
/// </summary>
public sealed class StsCredentialMinter : ICredentialMinter, IDisposable
{
    private readonly AmazonSecurityTokenServiceClient _client;

    public StsCredentialMinter(IOptions<BrokerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var broker = options.Value;
        var config = new AmazonSecurityTokenServiceConfig
        {
            // The SDK's standard mode retries only throttling, transient and 5xx errors: a 4xx answer (a refused token,
            // a denied trust) is final and is returned at once.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 2,
        };
        if (broker.Sts.ServiceUrl is { Length: > 0 } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = broker.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(broker.Region);
        }

        _client = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), config);
    }

    public async Task<MintResult> MintAsync(MintRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = request.RoleArn,
            RoleSessionName = request.RoleSessionName,
            WebIdentityToken = request.WebIdentityToken,
            Policy = request.Policy,
            DurationSeconds = request.DurationSeconds,
            PolicyArns = request.PolicyArns.Count == 0 ? null : request.PolicyArns.Select(a => new PolicyDescriptorType { Arn = a }).ToList(),
        };
        try
        {
            var response = await _client.AssumeRoleWithWebIdentityAsync(call, cancellationToken).ConfigureAwait(false);
            var c = response.Credentials;
            return MintResult.Ok(new IssuedCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, ToOffset(c.Expiration)));
        }
        catch (AmazonServiceException e)
        {
            // AmazonSecurityTokenServiceException and its typed subclasses carry the STS error code (AccessDenied, ...).
            return MintResult.Fail(string.IsNullOrEmpty(e.ErrorCode) ? "ServiceUnavailable" : e.ErrorCode, e.Message);
        }
        catch (HttpRequestException e)
        {
            return MintResult.Fail("ServiceUnavailable", $"STS could not be reached: {e.Message}");
        }
    }

    public void Dispose() => _client.Dispose();

    private static DateTimeOffset ToOffset(DateTime? expiration) =>
        expiration is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc)) : DateTimeOffset.MinValue;
}
