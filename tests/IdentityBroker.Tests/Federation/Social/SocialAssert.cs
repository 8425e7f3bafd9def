using IdentityBroker.Errors;
using IdentityBroker.Federation;

namespace IdentityBroker.Tests.Federation.Social;

internal static class SocialAssert
{
    public static ValidatedLogin Success(Result<ValidatedLogin> result)
    {
        Assert.That(result.IsSuccess, Is.True, () => $"refused: {result.Error!.Type}: {result.Error.Message}");
        return result.Value;
    }

    public static void Refused(Result<ValidatedLogin> result, string type, string message, params string[] neverIn)
    {
        Assert.That(result.IsSuccess, Is.False, "the login was accepted");
        Assert.That(result.Error!.Type, Is.EqualTo(type));
        Assert.That(result.Error.Message, Is.EqualTo(message));
        foreach (var secret in neverIn)
        {
            Assert.That(result.Error.Message, Does.Not.Contain(secret));
        }
    }

    public const string NotAuthorized = "NotAuthorizedException";
    public const string ExternalService = "ExternalServiceException";
    public const string Unsupported = "Token is not from a supported provider of this identity pool.";
    public const string BadSignature = "Invalid login token. Couldn't verify signed token.";
    public const string WrongIssuer = "Invalid login token. Issuer doesn't match providerName";
}
