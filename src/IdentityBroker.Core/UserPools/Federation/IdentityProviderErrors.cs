using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Federation;

/// <summary>The identity-provider errors (error names from the model; messages in Cognito's manner).</summary>
public static class IdentityProviderErrors
{
    public static AwsError Duplicate(string providerName) =>
        new("DuplicateProviderException", $"A provider with the name {providerName} already exists in this user pool.");

    public static AwsError NotFound(string providerName) =>
        new("ResourceNotFoundException", $"Identity provider {providerName} does not exist.");

    public static AwsError IdentifierNotFound { get; } =
        new("ResourceNotFoundException", "No identity provider has this identifier.");

    public static AwsError IdentifierTaken { get; } =
        UserPoolErrors.InvalidParameter("An IdpIdentifier is already used by another identity provider of this user pool.");

    public static AwsError SocialName(string providerType) =>
        UserPoolErrors.InvalidParameter($"The ProviderName of a {providerType} provider must be {providerType}.");

    public static AwsError ReservedName { get; } =
        UserPoolErrors.InvalidParameter("The ProviderName is reserved: Cognito and the social provider types name their own providers.");

    public static AwsError UnknownMappedAttribute(string attribute) =>
        UserPoolErrors.InvalidParameter($"The AttributeMapping names an attribute the user pool does not have: {attribute}.");
}
