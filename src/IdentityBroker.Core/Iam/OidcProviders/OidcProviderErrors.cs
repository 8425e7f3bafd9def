using IdentityBroker.Errors;

namespace IdentityBroker.Iam.OidcProviders;

/// <summary>
/// IAM errors of the OpenID Connect provider actions, with the codes and statuses of iam.service-2.json and the wording
/// real IAM answers with (recorded replies: "Provider with url … already exists.", "OpenIDConnect Provider not found for
/// arn …", "OpenId connect Provider … cannot be found." on delete).
/// </summary>
internal static class OidcProviderErrors
{
    public static AwsError InvalidInput(string message) => new("InvalidInput", message);

    public static AwsError Validation(string message) => new("ValidationError", message);

    public static AwsError AlreadyExists(string url) => new("EntityAlreadyExists", $"Provider with url {url} already exists.", 409);

    public static AwsError NotFound(string arn) => new("NoSuchEntity", $"OpenIDConnect Provider not found for arn {arn}", 404);

    /// <summary>DeleteOpenIDConnectProvider words it differently (and, unlike its documentation, is not idempotent).</summary>
    public static AwsError NotFoundOnDelete(string arn) => new("NoSuchEntity", $"OpenId connect Provider {arn} cannot be found.", 404);

    public static AwsError ClientIdQuota(int limit) => new("LimitExceeded", $"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {limit}", 409);

    public static AwsError ProviderQuota(int limit) => new("LimitExceeded", $"Cannot exceed quota for OpenIdConnectProvidersPerAccount: {limit}", 409);

    public static AwsError TooManyThumbprints() => InvalidInput("Thumbprint list must contain fewer than 5 entries.");

    public static AwsError DuplicateTagKeys() => InvalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");

    public static AwsError InvalidArn(string arn) => InvalidInput($"ARN {arn} is not valid.");
}
