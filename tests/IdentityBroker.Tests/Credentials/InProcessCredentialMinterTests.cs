using IdentityBroker.Credentials;
using IdentityBroker.Tests.Sts;

namespace IdentityBroker.Tests.Credentials;

public sealed class InProcessCredentialMinterTests
{
    [Test]
    public async Task Mints_with_the_embedded_sts_and_the_credentials_resolve()
    {
        var f = new StsFixture();
        var role = await f.CreateRoleAsync("Auth", TrustPolicies.Cognito());
        var minter = new InProcessCredentialMinter(f.Sts);

        var result = await minter.MintAsync(new MintRequest(role.Arn, BrokerClaimsPathTests.Built(f.BrokerClaims(), StsFixture.SharedBrokerKey), "CognitoIdentityCredentials", null, [], null), CancellationToken.None);

        Assert.That(result.Failure, Is.Null);
        var principal = await f.Principals.FindAsync(result.Credentials!.AccessKeyId, result.Credentials.SessionToken, CancellationToken.None);
        Assert.That(principal!.SecretAccessKey, Is.EqualTo(result.Credentials.SecretAccessKey));
        Assert.That(result.Credentials.Expiration, Is.EqualTo(f.Time.GetUtcNow().AddHours(1)));
    }

    [Test]
    public async Task Refusals_keep_the_sts_error_code()
    {
        var f = new StsFixture();
        var role = await f.CreateRoleAsync("Auth", TrustPolicies.BrokerOidc());
        var minter = new InProcessCredentialMinter(f.Sts);
        var guest = BrokerClaimsPathTests.Built(f.BrokerClaims(StsFixture.PoolId + ":unauthenticated"), StsFixture.SharedBrokerKey);

        var result = await minter.MintAsync(new MintRequest(role.Arn, guest, "CognitoIdentityCredentials", null, [], null), CancellationToken.None);

        Assert.That(result.Failure!.Code, Is.EqualTo("AccessDenied"));
    }
}
