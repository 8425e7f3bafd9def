using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace IdentityBroker.UserPools.Pools;

/// <summary>New user pool ids and their ARNs, in the broker's region and account.</summary>
public sealed class UserPoolIds(IOptions<BrokerOptions> options)
{
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary><c>us-east-1_AbC123xYz</c>: the region, an underscore and nine random letters or digits, as Cognito's.</summary>
    public string NewId() => options.Value.Region + "_" + RandomNumberGenerator.GetString(Alphanumerics, 9);

    public string Arn(string userPoolId) =>
        $"arn:aws:cognito-idp:{options.Value.Region}:{options.Value.AccountId}:userpool/{userPoolId}";
}
