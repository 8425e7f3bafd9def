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
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400)];

    private readonly AmazonSecurityTokenServiceClient _client;
    private readonly TimeProvider _time;

    public StsCredentialMinter(IOptions<BrokerOptions> options)
        : this(options, TimeProvider.System)
    {
    }

    public StsCredentialMinter(IOptions<BrokerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        var broker = options.Value;
        var config = new AmazonSecurityTokenServiceConfig
        {
            // The SDK retries AssumeRoleWithWebIdentity even on InvalidIdentityToken (400); a refused token or trust must
            // come back at once, so the SDK does not retry and MintAsync retries only 5xx and transport failures.
            MaxErrorRetry = 0,
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

        // The token leaves the process here: signed once, the same text for every attempt.
        var token = request.WebIdentity.Sign();
        var result = await MintOnceAsync(request, token, cancellationToken).ConfigureAwait(false);
        foreach (var delay in Backoff)
        {
            if (result.Failure is not { Retryable: true })
            {
                break;
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            result = await MintOnceAsync(request, token, cancellationToken).ConfigureAwait(false);
        }

        return result.Failure is { } failure ? MintResult.Fail(failure.Code, failure.Detail) : MintResult.Ok(result.Credentials!);
    }

    private async Task<(IssuedCredentials? Credentials, (string Code, string Detail, bool Retryable)? Failure)> MintOnceAsync(
        MintRequest request, string token, CancellationToken cancellationToken)
    {
        var call = new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = request.RoleArn,
            RoleSessionName = request.RoleSessionName,
            WebIdentityToken = token,
            Policy = request.Policy,
            DurationSeconds = request.DurationSeconds,
            PolicyArns = request.PolicyArns.Count == 0 ? null : request.PolicyArns.Select(a => new PolicyDescriptorType { Arn = a }).ToList(),
        };
        try
        {
            var response = await _client.AssumeRoleWithWebIdentityAsync(call, cancellationToken).ConfigureAwait(false);
            var c = response.Credentials;
            return (new IssuedCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, ToOffset(c.Expiration)), null);
        }
        catch (AmazonServiceException e)
        {
            // AmazonSecurityTokenServiceException and its typed subclasses carry the STS error code (AccessDenied, ...).
            var code = string.IsNullOrEmpty(e.ErrorCode) ? "ServiceUnavailable" : e.ErrorCode;
            return (null, (code, e.Message, (int)e.StatusCode >= 500 || e.StatusCode == 0));
        }
        catch (HttpRequestException e)
        {
            return (null, ("ServiceUnavailable", $"STS could not be reached: {e.Message}", true));
        }
    }

    public void Dispose() => _client.Dispose();

    private static DateTimeOffset ToOffset(DateTime? expiration) =>
        expiration is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc)) : DateTimeOffset.MinValue;
}
