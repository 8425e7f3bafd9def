using IdentityBroker.Protocol.Json;
using IdentityBroker.Storage;
using IdentityBroker.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityBroker.UserPools.Tokens;

/// <summary>
/// A user pool's <c>/.well-known/openid-configuration</c> and <c>/.well-known/jwks.json</c> under its issuer, as Cognito
/// serves them for <c>https://cognito-idp.&lt;region&gt;.amazonaws.com/&lt;userPoolId&gt;</c>: what aws-jwt-verify, API
/// Gateway and ALB read. Null for a pool that does not exist.
/// </summary>
public sealed class UserPoolDiscovery(IUserPoolStore pools, UserPoolSigningKeys keys, UserPoolIssuer issuer)
{
    public async Task<string?> OpenIdConfigurationJsonAsync(string userPoolId, CancellationToken cancellationToken)
    {
        if (await pools.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var document = new DiscoveryDocument(
            issuer.IssuerOf(userPoolId),
            issuer.JwksUriOf(userPoolId),
            ["code", "token"],
            ["public"],
            [SecurityAlgorithms.RsaSha256],
            ["sub", "iss", "aud", "exp", "iat", "auth_time", "token_use", "cognito:username", "cognito:groups", "email", "email_verified",
                "phone_number", "phone_number_verified"]);
        return Text(ReplyJson.Serialize(document, TokenJsonContext.Default.DiscoveryDocument));
    }

    public async Task<string?> JwksJsonAsync(string userPoolId, CancellationToken cancellationToken)
    {
        if (await pools.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var key = await keys.GetOrCreateAsync(userPoolId, cancellationToken).ConfigureAwait(false);
        var parameters = key.Key.Rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JwkEntry("RSA", SecurityAlgorithms.RsaSha256, "sig", key.KeyId,
            N: Base64UrlEncoder.Encode(parameters.Modulus), E: Base64UrlEncoder.Encode(parameters.Exponent));
        return Text(ReplyJson.Serialize(new JwksDocument([jwk]), TokenJsonContext.Default.JwksDocument));
    }

    private static string Text(byte[] utf8) => System.Text.Encoding.UTF8.GetString(utf8);
}
