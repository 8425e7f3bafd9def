using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Federation;

/// <summary>The errors of federated sign-in and provider links.</summary>
public static class FederationErrors
{
    public static AwsError UserDisabled { get; } = new("NotAuthorizedException", "User is disabled.");

    /// <summary>
    /// AdminLinkProviderForUser with a source user that has signed in already: the API reference requires a SourceUser
    /// that does not exist yet in the pool, as merging two existing users is not supported.
    /// </summary>
    public static AwsError SourceUserExists { get; } = UserPoolErrors.InvalidParameter(
        "Merging is not currently supported, provide a SourceUser that has not been used to sign into the user pool.");

    public static AwsError SourceAlreadyLinked { get; } = UserPoolErrors.InvalidParameter("The SourceUser is already linked to a user.");

    public static AwsError UnknownProvider(string providerName) =>
        UserPoolErrors.InvalidParameter($"The user pool has no identity provider {providerName}.");

    public static AwsError SocialNeedsSubject { get; } =
        UserPoolErrors.InvalidParameter("ProviderAttributeName must be Cognito_Subject for a social identity provider.");

    public static AwsError MissingMember(string member) => UserPoolErrors.InvalidParameter($"{member} is required.");

    public static AwsError DestinationIsFederated { get; } =
        UserPoolErrors.InvalidParameter("The DestinationUser must be a user of the user pool (ProviderName Cognito).");

    public static AwsError NoSuchLink { get; } = new("UserNotFoundException", "User does not exist.");
}
