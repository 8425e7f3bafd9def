using IdentityBroker.Errors;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// The InitiateAuth flows the broker runs and the app client's ExplicitAuthFlows that allow each. A client without
/// ExplicitAuthFlows allows Cognito's default set: "If you don't specify a value for ExplicitAuthFlows, your app client
/// supports ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_SRP_AUTH, and ALLOW_CUSTOM_AUTH" (UserPoolClientType, API reference).
/// The legacy values without ALLOW_ (USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY) keep their old
/// meaning: SRP and refresh were always allowed beside them, unless CUSTOM_AUTH_FLOW_ONLY.
/// </summary>
public static class AuthFlows
{
    public const string UserSrp = "USER_SRP_AUTH";
    public const string UserPassword = "USER_PASSWORD_AUTH";
    public const string AdminUserPassword = "ADMIN_USER_PASSWORD_AUTH";
    public const string AdminNoSrp = "ADMIN_NO_SRP_AUTH";
    public const string RefreshTokenAuth = "REFRESH_TOKEN_AUTH";
    public const string RefreshToken = "REFRESH_TOKEN";
    public const string CustomAuth = "CUSTOM_AUTH";

    private static readonly string[] Default = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"];

    /// <summary>
    /// The flow's canonical name when <paramref name="admin"/> (AdminInitiateAuth) or InitiateAuth may run it; else the
    /// refusal. InitiateAuth does not take the admin password flows; AdminInitiateAuth does not take USER_PASSWORD_AUTH
    /// (the model's AuthFlow documentation).
    /// </summary>
    public static Result<string> Resolve(string flow, bool admin) => flow switch
    {
        UserSrp => UserSrp,
        CustomAuth => CustomAuth,
        RefreshTokenAuth or RefreshToken => RefreshTokenAuth,
        UserPassword when !admin => UserPassword,
        AdminUserPassword or AdminNoSrp when admin => AdminUserPassword,
        _ => SignInErrors.FlowNotSupported,
    };

    /// <summary>Null when the client allows <paramref name="flow"/> (a name from <see cref="Resolve"/>); else Cognito's refusal naming it.</summary>
    public static AwsError? Check(UserPoolClient client, string flow)
    {
        ArgumentNullException.ThrowIfNull(client);
        var allowed = client.Settings.ExplicitAuthFlows is { Count: > 0 } set ? set : Default;
        var legacyOnly = !allowed.Any(a => a.StartsWith("ALLOW_", StringComparison.Ordinal));
        var customOnly = allowed.Contains("CUSTOM_AUTH_FLOW_ONLY");
        var enabled = flow switch
        {
            UserSrp => allowed.Contains("ALLOW_USER_SRP_AUTH") || (legacyOnly && !customOnly),
            RefreshTokenAuth => allowed.Contains("ALLOW_REFRESH_TOKEN_AUTH") || legacyOnly,
            UserPassword => allowed.Contains("ALLOW_USER_PASSWORD_AUTH") || allowed.Contains("USER_PASSWORD_AUTH"),
            AdminUserPassword => allowed.Contains("ALLOW_ADMIN_USER_PASSWORD_AUTH") || allowed.Contains("ADMIN_NO_SRP_AUTH"),
            CustomAuth => allowed.Contains("ALLOW_CUSTOM_AUTH") || customOnly,
            _ => false,
        };
        return enabled ? null : SignInErrors.FlowNotEnabled(flow);
    }
}
