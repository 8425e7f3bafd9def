using System.Text.RegularExpressions;

namespace IdentityBroker.Federation.UserPools;

/// <summary>
/// A CognitoIdentityProviders ProviderName, <c>cognito-idp.&lt;region&gt;.amazonaws.com/&lt;userPoolId&gt;</c> (Cognito Identity API reference, CognitoIdentityProvider);
/// the user-pool id pattern is cognito-idp's <c>[\w-]+_[0-9a-zA-Z]+</c>.
/// </summary>
public sealed partial record UserPoolProviderName(string Value, string Region, string UserPoolId)
{
    public static UserPoolProviderName? TryParse(string? value)
    {
        var match = value is null ? null : Pattern().Match(value);
        return match is { Success: true } ? new UserPoolProviderName(value!, match.Groups[1].Value, match.Groups[2].Value) : null;
    }

    /// <summary>The issuer its ID tokens carry: <paramref name="issuerBase"/> (with <c>{region}</c> replaced) + <c>/</c> + pool id.</summary>
    public string Issuer(string issuerBase)
    {
        ArgumentNullException.ThrowIfNull(issuerBase);
        return issuerBase.Replace("{region}", Region, StringComparison.Ordinal).TrimEnd('/') + "/" + UserPoolId;
    }

    [GeneratedRegex(@"\Acognito-idp\.([a-z0-9-]+)\.amazonaws\.com/([a-zA-Z0-9_-]+_[0-9a-zA-Z]+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
