using IdentityBroker.Errors;
using IdentityBroker.UserPools;
using IdentityBroker.UserPools.Mfa;
using IdentityBroker.UserPools.Tokens;
using Bind = IdentityBroker.Protocol.Json.UserPoolMfaBinding;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// The rows of the MFA operations: SetUserPoolMfaConfig, GetUserPoolMfaConfig and AdminSetUserMFAPreference are signed
/// (authorized on the pool's ARN); SetUserMFAPreference carries an access token; AssociateSoftwareToken and
/// VerifySoftwareToken an access token, or the sign-in Session during MFA_SETUP.
/// </summary>
public sealed class UserPoolMfaWire(
    PoolMfaConfigOperations config, SoftwareTokenOperations tokens, MfaPreferenceOperations preferences, MfaSetupSessions setup,
    AccessTokenAuthenticator access, UserPoolResources resources)
{
    /// <summary>Neither AccessToken nor Session; the broker's wording.</summary>
    internal static readonly AwsError NoCaller = UserPoolErrors.InvalidParameter("Either AccessToken or Session must be given.");

    internal IEnumerable<CognitoOperation> Operations(JsonOperationTable t)
    {
        var c = UserPoolMfaJsonContext.Default;
        var r = resources;
        yield return t.Signed("SetUserPoolMfaConfig", c.SetUserPoolMfaConfigRequest, Bind.SetConfig, config.SetAsync, Bind.Config,
            c.UserPoolMfaConfigResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("GetUserPoolMfaConfig", c.UserPoolIdRequest, Bind.GetConfig, config.GetAsync, Bind.Config,
            c.UserPoolMfaConfigResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("AdminSetUserMFAPreference", c.AdminSetUserMfaPreferenceRequest, Bind.AdminPreference, preferences.SetAsync,
            (q, ct) => r.PoolAsync(q.User.UserPoolId, ct));
        yield return JsonOperationTable.AccessToken("SetUserMFAPreference", c.SetUserMfaPreferenceRequest, access, q => q.AccessToken,
            (q, a) => Bind.Preference(q, new MfaUser(a.UserPoolId, a.Sub)), preferences.SetAsync);
        yield return JsonOperationTable.Unsigned("AssociateSoftwareToken", c.AssociateSoftwareTokenRequest, q => q, AssociateAsync,
            s => s, c.AssociateSoftwareTokenResponse);
        yield return JsonOperationTable.Unsigned("VerifySoftwareToken", c.VerifySoftwareTokenRequest, q => q, VerifyAsync,
            s => s, c.VerifySoftwareTokenResponse);
    }

    private async Task<Result<AssociateSoftwareTokenResponse>> AssociateAsync(AssociateSoftwareTokenRequest request, CancellationToken ct)
    {
        if (request.AccessToken is null && request.Session is not null)
        {
            var setUp = await setup.AssociateAsync(request.Session, ct).ConfigureAwait(false);
            return setUp.IsSuccess ? new AssociateSoftwareTokenResponse { SecretCode = setUp.Value.SecretCode, Session = setUp.Value.Session } : setUp.Error!;
        }

        var user = await CallerAsync(request.AccessToken, ct).ConfigureAwait(false);
        if (!user.IsSuccess)
        {
            return user.Error!;
        }

        var secret = await tokens.AssociateAsync(new AssociateSoftwareToken(user.Value), ct).ConfigureAwait(false);
        return secret.IsSuccess ? new AssociateSoftwareTokenResponse { SecretCode = secret.Value } : secret.Error!;
    }

    private async Task<Result<VerifySoftwareTokenResponse>> VerifyAsync(VerifySoftwareTokenRequest request, CancellationToken ct)
    {
        if (request.AccessToken is null && request.Session is not null)
        {
            var setUp = await setup.VerifyAsync(request.Session, request.UserCode!, request.FriendlyDeviceName, ct).ConfigureAwait(false);
            return setUp.IsSuccess ? new VerifySoftwareTokenResponse { Status = "SUCCESS", Session = setUp.Value } : setUp.Error!;
        }

        var user = await CallerAsync(request.AccessToken, ct).ConfigureAwait(false);
        if (!user.IsSuccess)
        {
            return user.Error!;
        }

        var verified = await tokens.VerifyAsync(new VerifySoftwareToken(user.Value, request.UserCode!, request.FriendlyDeviceName), ct)
            .ConfigureAwait(false);
        return verified.IsSuccess ? new VerifySoftwareTokenResponse { Status = "SUCCESS" } : verified.Error!;
    }

    /// <summary>The user an access token speaks for.</summary>
    private async Task<Result<MfaUser>> CallerAsync(string? accessToken, CancellationToken ct)
    {
        if (accessToken is null)
        {
            return NoCaller;
        }

        var caller = await access.AuthenticateAsync(accessToken, ct).ConfigureAwait(false);
        return caller.IsSuccess ? new MfaUser(caller.Value.UserPoolId, caller.Value.Sub) : caller.Error!;
    }
}
