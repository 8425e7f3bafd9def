using IdentityBroker.Identities;
using IdentityBroker.UserPools.Risk;
using IdentityBroker.UserPools.SelfService;
using IdentityBroker.UserPools.Tokens;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// The rows of the self-service operations: SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword,
/// ConfirmForgotPassword unsigned (as in AWS); the user's own operations by access token; AdminResetUserPassword and the
/// risk configuration signed, authorized on the pool's ARN.
/// </summary>
public sealed class UserPoolSelfServiceWire(
    SignUpOperations signUp, PasswordResetOperations reset, OwnUserOperations own, RiskConfigurationOperations risk,
    AccessTokenAuthenticator access, UserPoolResources resources)
{
    internal IEnumerable<CognitoOperation> Rows(JsonOperationTable t)
    {
        var c = UserPoolSelfServiceJsonContext.Default;
        var u = UserPoolUserJsonContext.Default;
        var r = resources;
        return
        [
            JsonOperationTable.Unsigned("SignUp", c.SignUpRequest, q => new SignUp(Client(q), q.Username!, q.Password!, Attributes(q.UserAttributes))
                {
                    Inputs = new(q.ClientMetadata, AttributeShape.Map(q.ValidationData)),
                },
                signUp.SignUpAsync, SignedUp, c.SignUpResponse),
            JsonOperationTable.Unsigned("ConfirmSignUp", c.ConfirmSignUpRequest,
                q => new ConfirmSignUp(Client(q), q.Username!, q.ConfirmationCode!, q.ForceAliasCreation ?? false) { Inputs = Inputs(q) }, signUp.ConfirmSignUpAsync),
            JsonOperationTable.Unsigned("ResendConfirmationCode", c.ClientUsernameRequest, q => new UserCall(Client(q), q.Username!) { Inputs = Inputs(q) },
                signUp.ResendConfirmationCodeAsync, Delivered, c.CodeDeliveryResponse),
            JsonOperationTable.Unsigned("ForgotPassword", c.ClientUsernameRequest, q => new UserCall(Client(q), q.Username!) { Inputs = Inputs(q) },
                reset.ForgotPasswordAsync, Delivered, c.CodeDeliveryResponse),
            JsonOperationTable.Unsigned("ConfirmForgotPassword", c.ConfirmForgotPasswordRequest,
                q => new ConfirmForgotPassword(Client(q), q.Username!, q.ConfirmationCode!, q.Password!) { Inputs = Inputs(q) }, reset.ConfirmForgotPasswordAsync),
            t.Signed("AdminResetUserPassword", u.AdminUserRequest, q => new UserReference(q.UserPoolId!, q.Username!), reset.AdminResetAsync,
                (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            JsonOperationTable.AccessToken("GetUser", UserPoolJsonContext.Default.AccessTokenRequest, access, q => q.AccessToken, (_, a) => Own(a), own.GetAsync,
                GotUser, c.GetUserResponse),
            JsonOperationTable.AccessToken("UpdateUserAttributes", c.UpdateUserAttributesRequest, access, q => q.AccessToken,
                (q, a) => new UpdateOwnAttributes(Own(a), Attributes(q.UserAttributes)), own.UpdateAttributesAsync,
                list => new UpdateUserAttributesResponse { CodeDeliveryDetailsList = [.. list.Select(Details)] }, c.UpdateUserAttributesResponse),
            JsonOperationTable.AccessToken("DeleteUserAttributes", c.DeleteUserAttributesRequest, access, q => q.AccessToken,
                (q, a) => new DeleteOwnAttributes(Own(a), q.UserAttributeNames!), own.DeleteAttributesAsync),
            JsonOperationTable.AccessToken("GetUserAttributeVerificationCode", c.UserAttributeCodeRequest, access, q => q.AccessToken,
                (q, a) => new OwnAttribute(Own(a), q.AttributeName!), own.GetVerificationCodeAsync, Delivered, c.CodeDeliveryResponse),
            JsonOperationTable.AccessToken("VerifyUserAttribute", c.UserAttributeCodeRequest, access, q => q.AccessToken,
                (q, a) => new VerifyOwnAttribute(Own(a), q.AttributeName!, q.Code ?? string.Empty), own.VerifyAttributeAsync),
            JsonOperationTable.AccessToken("ChangePassword", c.ChangePasswordRequest, access, q => q.AccessToken,
                (q, a) => new ChangeOwnPassword(Own(a), q.PreviousPassword ?? string.Empty, q.ProposedPassword!), own.ChangePasswordAsync),
            JsonOperationTable.AccessToken("DeleteUser", UserPoolJsonContext.Default.AccessTokenRequest, access, q => q.AccessToken, (_, a) => Own(a), own.DeleteAsync),
            t.Signed("SetRiskConfiguration", c.RiskConfigurationRequest, SetRisk, risk.SetAsync, Risk, c.RiskConfigurationResponse,
                (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
            t.Signed("DescribeRiskConfiguration", c.RiskConfigurationRequest, q => new DescribeRiskConfiguration(q.UserPoolId!, q.ClientId),
                risk.DescribeAsync, Risk, c.RiskConfigurationResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct)),
        ];
    }

    private static ClientCall Client(ClientUserRequest q) => new(q.ClientId!, q.SecretHash);

    private static UserPools.Triggers.TriggerInputs Inputs(ClientUserRequest q) => new(q.ClientMetadata);

    private static OwnUser Own(AuthenticatedAccess a) => new(a.UserPoolId, a.Sub, a.ClientId);

    private static List<UserAttribute> Attributes(List<AttributeShape>? attributes) =>
        [.. (attributes ?? []).Select(a => new UserAttribute(a.Name!, a.Value ?? string.Empty))];

    private static SetRiskConfiguration SetRisk(RiskConfigurationRequest q) => new(q.UserPoolId!, q.ClientId,
        q.CompromisedCredentialsRiskConfiguration is { } given
            ? new CompromisedCredentialsRisk(given.EventFilter, given.Actions?.EventAction ?? CompromisedCredentialsRisk.NoAction)
            : null);

    private static CodeDeliveryDetailsShape Details(CodeDeliveryDetails d) =>
        new() { Destination = d.Destination, DeliveryMedium = d.DeliveryMedium, AttributeName = d.AttributeName };

    private static SignUpResponse SignedUp(SignUpResult result) => new()
    {
        UserConfirmed = result.Confirmed,
        UserSub = result.UserSub,
        CodeDeliveryDetails = result.Delivery is { } d ? Details(d) : null,
    };

    private static CodeDeliveryResponse Delivered(CodeDeliveryDetails d) => new() { CodeDeliveryDetails = Details(d) };

    /// <summary>GetUser: MFAOptions (the legacy SMS setting) is left out; the MFA settings come from the user record.</summary>
    private static GetUserResponse GotUser(PoolUser user)
    {
        var admin = UserPoolUserReplyShapes.Got(user);
        return new()
        {
            Username = admin.Username,
            UserAttributes = admin.UserAttributes,
            PreferredMfaSetting = admin.PreferredMfaSetting,
            UserMFASettingList = admin.UserMFASettingList,
        };
    }

    private static RiskConfigurationResponse Risk(RiskConfiguration risk) => new()
    {
        RiskConfiguration = new RiskConfigurationShape
        {
            UserPoolId = risk.UserPoolId,
            ClientId = risk.ClientId,
            CompromisedCredentialsRiskConfiguration = risk.CompromisedCredentials is { } cc
                ? new CompromisedCredentialsRiskConfigurationShape
                {
                    EventFilter = cc.EventFilter is { } filter ? [.. filter] : null,
                    Actions = new CompromisedCredentialsActionsShape { EventAction = cc.EventAction },
                }
                : null,
            LastModifiedDate = risk.LastModifiedDate is { } at ? IdentityIds.EpochSeconds(at) : null,
        },
    };
}
