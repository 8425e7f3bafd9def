using IdentityBroker.Errors;

namespace IdentityBroker.Policies;

/// <summary>MalformedPolicyDocument errors with IAM's wording.</summary>
public static class PolicyErrors
{
    public const string Type = "MalformedPolicyDocument";

    public static AwsError Malformed(string message) => new(Type, message, 400);

    public static AwsError Syntax() => Malformed("Syntax errors in policy.");

    public static AwsError LegacyParsing() => Malformed("The policy failed legacy parsing");

    public static AwsError PrincipalNotAllowed() => Malformed("Policy document should not specify a principal.");

    public static AwsError MissingField(string field) => Malformed($"Missing required field {field}");

    public static AwsError ProhibitedField(string field) => Malformed($"Has prohibited field {field}");
}
