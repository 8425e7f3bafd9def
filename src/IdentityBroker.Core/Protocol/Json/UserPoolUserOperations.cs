using IdentityBroker.UserPools.Users;
using Bind = IdentityBroker.Protocol.Json.UserPoolUserBinding;
using Shape = IdentityBroker.Protocol.Json.UserPoolUserReplyShapes;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// The rows of the user operations in the User Pools operation table: all signed, authorized as
/// <c>cognito-idp:&lt;Op&gt;</c> on the pool's ARN like the pool operations.
/// </summary>
public sealed class UserPoolUserOperations(
    UserOperations users, UserAttributeOperations attributes, UserPoolSchemaOperations schema, UserPoolResources resources)
{
    internal IEnumerable<CognitoOperation> Rows(JsonOperationTable t)
    {
        var c = UserPoolUserJsonContext.Default;
        var r = resources;
        return
        [
            t.Signed("AdminCreateUser", c.AdminCreateUserRequest, Bind.AdminCreateUser, users.CreateAsync,
                Shape.Created, c.AdminCreateUserResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("AdminGetUser", c.AdminUserRequest, Bind.User, users.GetAsync, Shape.Got, c.AdminGetUserResponse,
                (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("ListUsers", c.ListUsersRequest, Bind.ListUsers, users.ListAsync, Shape.Listed, c.ListUsersResponse,
                (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("AdminUpdateUserAttributes", c.AdminUpdateUserAttributesRequest, Bind.AdminUpdateUserAttributes,
                attributes.UpdateAsync, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("AdminDeleteUserAttributes", c.AdminDeleteUserAttributesRequest, Bind.AdminDeleteUserAttributes,
                attributes.DeleteAsync, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("AdminDisableUser", c.AdminUserRequest, Bind.User, users.DisableAsync, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("AdminEnableUser", c.AdminUserRequest, Bind.User, users.EnableAsync, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("AdminDeleteUser", c.AdminUserRequest, Bind.User, users.DeleteAsync, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("AdminSetUserPassword", c.AdminSetUserPasswordRequest, Bind.AdminSetUserPassword, users.SetPasswordAsync,
                (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("AdminConfirmSignUp", c.AdminUserRequest, Bind.User, users.ConfirmSignUpAsync, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("AddCustomAttributes", c.AddCustomAttributesRequest, Bind.AddCustomAttributes, schema.AddCustomAttributesAsync,
                (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
        ];
    }
}
