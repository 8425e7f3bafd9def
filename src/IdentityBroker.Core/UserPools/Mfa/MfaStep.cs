using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Codes;
using IdentityBroker.UserPools.Messages;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Mfa;

/// <summary>
/// The MFA step of a sign-in, between the password (and NEW_PASSWORD_REQUIRED) and the tokens (<see cref="SignInSteps.NextAsync"/>):
/// <list type="bullet">
/// <item>pool MfaConfiguration OFF: no challenge;</item>
/// <item>the factors that count are those both the pool offers (SetUserPoolMfaConfig) and the user has enabled; with MFA
/// ON a user without any is also challenged by SMS when the pool offers SMS and the user has a phone_number (Cognito's
/// SMS default for required MFA);</item>
/// <item>one factor, or a preferred one: its challenge (SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP, the last two sending a
/// code through <see cref="CodeDelivery"/>); several and none preferred: SELECT_MFA_TYPE;</item>
/// <item>none: MFA ON asks for MFA_SETUP (a software token), OPTIONAL signs in.</item>
/// </list>
/// Every MFA Session is marked for one use (<see cref="SignInSessions.MarkAsync"/>).
/// </summary>
public sealed class MfaStep(SignInSessions sessions, CodeDelivery codes)
{
    /// <summary>The challenge the sign-in of <paramref name="context"/> must answer, or null for none.</summary>
    public async Task<Result<SignInOutcome>?> ChallengeAsync(SignInContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var mode = context.Pool.Settings.MfaConfiguration;
        if (mode == UserPoolSettings.MfaOff)
        {
            return null;
        }

        var usable = Usable(context.Pool, context.User);
        if (usable.Count == 0)
        {
            return mode == UserPoolSettings.MfaOn ? await SetupAsync(context, cancellationToken).ConfigureAwait(false) : (Result<SignInOutcome>?)null;
        }

        var preferred = context.User.Mfa.PreferredMethod;
        if (usable.Count == 1 || (preferred is not null && usable.Contains(preferred)))
        {
            return await IssueAsync(context, usable.Count == 1 ? usable[0] : preferred!, cancellationToken).ConfigureAwait(false);
        }

        var parameters = Parameters(context.User);
        parameters[MfaChallengeNames.CanChoose] = JsonSerializer.Serialize(usable.ToArray(), MfaJsonContext.Default.StringArray);
        return await ChallengeOutcomeAsync(context, MfaChallengeNames.SelectMfaType, parameters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The factors the pool offers and the user can answer now, in Cognito's order SMS, TOTP, email.</summary>
    public static IReadOnlyList<string> Usable(UserPool pool, PoolUser user)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        var offered = pool.Settings.MfaFactors ?? PoolMfaFactors.None;
        var phone = user.Attribute(StandardAttributes.PhoneNumber) is not null;
        var email = user.Attribute(StandardAttributes.Email) is not null;
        var usable = new List<string>(3);
        if (offered.Sms is not null && phone && user.Mfa.SmsEnabled)
        {
            usable.Add(MfaKinds.Sms);
        }

        if (offered.SoftwareToken && user.Mfa.TotpEnabled && user.Mfa.TotpSecret is not null)
        {
            usable.Add(MfaKinds.SoftwareToken);
        }

        if (offered.Email is not null && email && user.Mfa.EmailEnabled)
        {
            usable.Add(MfaKinds.Email);
        }

        var smsDefault = usable.Count == 0 && pool.Settings.MfaConfiguration == UserPoolSettings.MfaOn && offered.Sms is not null && phone
            && !user.Mfa.TotpEnabled && !user.Mfa.EmailEnabled;
        return smsDefault ? [MfaKinds.Sms] : usable;
    }

    /// <summary>The challenge of one factor; SMS and email send their code first.</summary>
    public async Task<Result<SignInOutcome>> IssueAsync(SignInContext context, string kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = Parameters(context.User);
        if (kind is MfaKinds.Sms or MfaKinds.Email)
        {
            var sms = kind == MfaKinds.Sms;
            var destination = context.User.Attribute(sms ? StandardAttributes.PhoneNumber : StandardAttributes.Email)!;
            var sent = await codes.IssueAndSendAsync(CodeSubjectOf(context.User), context.User.Username,
                sms ? MessageChannel.Sms : MessageChannel.Email, destination, Templates(context.Pool), cancellationToken,
                new Triggers.CodeMessageTrigger(context.Pool, context.User, Triggers.CodeMessageTrigger.Authentication, context.Client.ClientId))
                .ConfigureAwait(false);
            if (!sent.IsSuccess)
            {
                return sent.Error!;
            }

            parameters[MfaChallengeNames.DeliveryMedium] = sms ? "SMS" : "EMAIL";
            parameters[MfaChallengeNames.DeliveryDestination] = sms ? DestinationMask.Phone(destination) : DestinationMask.Email(destination);
        }

        return await ChallengeOutcomeAsync(context, kind, parameters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The one code an SMS_MFA or EMAIL_OTP challenge of this user is answered with (a new sign-in replaces it).</summary>
    public static CodeSubject CodeSubjectOf(PoolUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.UserPoolId, user.Sub, CodePurpose.MfaSignIn);
    }

    /// <summary>A new use-once Session for <paramref name="challenge"/> of the same sign-in, sealed.</summary>
    /// <param name="validity">The client's AuthSessionValidity (carried by the Session this one follows).</param>
    public async Task<string> SessionAsync(
        string userPoolId, string clientId, TimeSpan validity, PoolUser user, string challenge, IReadOnlyDictionary<string, string>? data,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var session = sessions.New(userPoolId, clientId, validity, user.Sub, user.Username, challenge) with { Data = data };
        await sessions.MarkAsync(session, cancellationToken).ConfigureAwait(false);
        return await sessions.SealAsync(session, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<SignInOutcome>> SetupAsync(SignInContext context, CancellationToken cancellationToken)
    {
        if ((context.Pool.Settings.MfaFactors ?? PoolMfaFactors.None).SoftwareToken is false)
        {
            return MfaErrors.NoFactorToSetUp;
        }

        var parameters = Parameters(context.User);
        parameters[MfaChallengeNames.CanSetup] = JsonSerializer.Serialize(new[] { MfaKinds.SoftwareToken }, MfaJsonContext.Default.StringArray);
        return await ChallengeOutcomeAsync(context, MfaChallengeNames.MfaSetup, parameters, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<SignInOutcome>> ChallengeOutcomeAsync(
        SignInContext context, string challenge, Dictionary<string, string> parameters, CancellationToken cancellationToken) =>
        SignInOutcome.Challenge(challenge, parameters,
            await SessionAsync(context.Pool.Id, context.Client.ClientId, context.Client.Settings.SignInSessionValidity, context.User, challenge, null,
                cancellationToken).ConfigureAwait(false));

    private static Dictionary<string, string> Parameters(PoolUser user) =>
        new(StringComparer.Ordinal) { [SignInParameters.UserIdForSrp] = user.Username };

    /// <summary>The pool's SMS and email MFA texts (SetUserPoolMfaConfig), Cognito's defaults where it has none.</summary>
    private static MessageTemplates Templates(UserPool pool) => (pool.Settings.MfaFactors ?? PoolMfaFactors.None) is var f
        ? new MessageTemplates(EmailMessage: f.Email?.Message, EmailSubject: f.Email?.Subject, SmsAuthenticationMessage: f.Sms?.SmsAuthenticationMessage)
        : MessageTemplates.Default;
}

/// <summary>The MFA challenge names and parameters beyond <see cref="MfaKinds"/>.</summary>
public static class MfaChallengeNames
{
    public const string MfaSetup = "MFA_SETUP";
    public const string SelectMfaType = "SELECT_MFA_TYPE";
    public const string CanSetup = "MFAS_CAN_SETUP";
    public const string CanChoose = "MFAS_CAN_CHOOSE";
    public const string DeliveryMedium = "CODE_DELIVERY_DELIVERY_MEDIUM";
    public const string DeliveryDestination = "CODE_DELIVERY_DESTINATION";
    public const string SoftwareTokenCode = "SOFTWARE_TOKEN_MFA_CODE";
    public const string SmsCode = "SMS_MFA_CODE";
    public const string EmailCode = "EMAIL_OTP_CODE";
    public const string Answer = "ANSWER";

    public static bool IsMfa(string challenge) =>
        challenge is MfaKinds.SoftwareToken or MfaKinds.Sms or MfaKinds.Email or MfaSetup or SelectMfaType;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class MfaJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
