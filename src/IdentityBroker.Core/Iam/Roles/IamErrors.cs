using IdentityBroker.Errors;

namespace IdentityBroker.Iam.Roles;

/// <summary>IAM error codes and statuses from iam.service-2.json, with IAM's wording.</summary>
public static class IamErrors
{
    public static AwsError NoSuchRole(string roleName) => new("NoSuchEntity", $"The role with name {roleName} cannot be found.", 404);

    public static AwsError NoSuchRolePolicy(string policyName) => new("NoSuchEntity", $"The role policy with name {policyName} cannot be found.", 404);

    public static AwsError RoleExists(string roleName) => new("EntityAlreadyExists", $"Role with name {roleName} already exists.", 409);

    public static AwsError DeleteConflict() => new("DeleteConflict", "Cannot delete entity, must delete policies first.", 409);

    public static AwsError LimitExceeded(string message) => new("LimitExceeded", message, 409);

    public static AwsError Validation(string message) => new("ValidationError", message, 400);
}
