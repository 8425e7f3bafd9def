using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Users;

/// <summary>The errors of the user operations, worded as Cognito answers them (the source of each wording beside it).</summary>
public static class UserErrors
{
    /// <summary>"User does not exist." (Cognito's reply quoted in aws/aws-sdk-js#1357).</summary>
    public static AwsError UserNotFound { get; } = new("UserNotFoundException", "User does not exist.");

    /// <summary>AdminCreateUser with a taken username: "User account already exists" (quoted in localstack/localstack#4465).</summary>
    public static AwsError UsernameExists { get; } = new("UsernameExistsException", "User account already exists");

    /// <summary>
    /// A taken email or phone number: "An account with the given email already exists." (Cognito's SignUp reply quoted in
    /// jonsaw/amazon-cognito-identity-dart#73); UsernameExistsException when it is a username attribute, AliasExistsException
    /// when it is an alias.
    /// </summary>
    public static AwsError AttributeTaken(string type, string attribute) =>
        new(type, $"An account with the given {attribute} already exists.");

    /// <summary>
    /// Unknown attributes at creation: "Attributes did not conform to the schema: custom:x: Attribute does not exist in the
    /// schema." (quoted in aws-amplify/amplify-js#2167 and aws-amplify/amplify-flutter#509).
    /// </summary>
    public static AwsError NotInSchemaAtCreation(IEnumerable<string> names) => UserPoolErrors.InvalidParameter(
        "Attributes did not conform to the schema: " + string.Join("\n", names.Select(n => n + ": Attribute does not exist in the schema.")));

    /// <summary>Unknown attributes in an update: "user.custom:x: Attribute does not exist in the schema." (aws-amplify/amplify-flutter#1531).</summary>
    public static AwsError NotInSchema(IEnumerable<string> names) =>
        UserPoolErrors.InvalidParameter(string.Join("\n", names.Select(n => "user." + n + ": Attribute does not exist in the schema.")));

    /// <summary>The broker's wording: <c>sub</c> is the pool's identifier of the user and is never written by a caller.</summary>
    public static AwsError SubIsReadOnly { get; } = UserPoolErrors.InvalidParameter("The attribute sub cannot be set or changed.");

    public static AwsError InvalidEmail { get; } = UserPoolErrors.InvalidParameter("Invalid email address format.");

    public static AwsError InvalidPhoneNumber { get; } = UserPoolErrors.InvalidParameter("Invalid phone number format.");

    /// <summary>A pool with UsernameAttributes takes an email or phone number as the username.</summary>
    public static AwsError UsernameNotEmailOrPhone { get; } =
        UserPoolErrors.InvalidParameter("Username should be either an email or a phone number.");

    /// <summary>A pool with an email or phone alias refuses a username of that format, which would shadow another user's alias.</summary>
    public static AwsError UsernameOfAliasFormat(string format, string alias) => UserPoolErrors.InvalidParameter(
        $"Username cannot be of {format} format, since user pool is configured for {alias} alias.");

    /// <summary>ListUsers' malformed Filter: "Error while parsing filter." (quoted in aws/aws-sdk-php#1088).</summary>
    public static AwsError BadFilter { get; } = UserPoolErrors.InvalidParameter("Error while parsing filter.");

    /// <summary>
    /// MessageAction RESEND for a user who is no longer FORCE_CHANGE_PASSWORD (the API reference: RESEND resends the
    /// invitation of an existing user); the broker's wording.
    /// </summary>
    public static AwsError CannotResend { get; } = new("UnsupportedUserStateException", "Resend not possible. User has already signed in.");

    /// <summary>AdminConfirmSignUp of a user that is not UNCONFIRMED; the broker's wording after the one Cognito is reported to give.</summary>
    public static AwsError NotUnconfirmed(string status) =>
        new("NotAuthorizedException", $"User cannot be confirmed. Current status is {status}");

    /// <summary>The pool changed the same user concurrently more often than a retry absorbs.</summary>
    public static AwsError ConcurrentModification { get; } =
        new("ConcurrentModificationException", "The user was changed by another request; retry.");

    public static AwsError CustomAttributeExists(string name) =>
        UserPoolErrors.InvalidParameter($"custom:{name}: Existing attribute already has name custom:{name}.");

    public static AwsError TooManyCustomAttributes { get; } =
        UserPoolErrors.InvalidParameter($"A user pool can have at most {SchemaAttribute.MaxCustomAttributes} custom attributes.");
}
