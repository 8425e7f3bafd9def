using IdentityBroker.Errors;

namespace IdentityBroker.Iam.SamlProviders;

/// <summary>
/// IAM errors of the SAML provider actions, with the codes and statuses of iam.service-2.json and real IAM's wording where
/// it is known ("Provider with name … already exists.", "Manifest not found for arn …").
/// </summary>
internal static class SamlProviderErrors
{
    public static AwsError InvalidInput(string message) => new("InvalidInput", message);

    public static AwsError AlreadyExists(string name) => new("EntityAlreadyExists", $"Provider with name {name} already exists.", 409);

    public static AwsError NotFound(string arn) => new("NoSuchEntity", $"Manifest not found for arn {arn}", 404);

    public static AwsError ProviderQuota(int limit) => new("LimitExceeded", $"Cannot exceed quota for SAMLProvidersPerAccount: {limit}", 409);

    public static AwsError InvalidArn(string arn) => InvalidInput($"ARN {arn} is not valid.");

    public static AwsError DuplicateTagKeys() => InvalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");

    public static AwsError EncryptionNotSupported() =>
        InvalidInput("Assertion encryption (AssertionEncryptionMode, AddPrivateKey, RemovePrivateKey) is not supported by this broker.");

    public static AwsError MetadataRequired() => InvalidInput("SAMLMetadataDocument is required: it is the only attribute this broker can update.");
}
