using System.Collections.Frozen;

namespace IdentityBroker.UserPools.HostedUi;

/// <summary>
/// Every text of the hosted pages, keyed by message id, in English. A translation is another table with the same ids
/// (<see cref="For"/> falls back to English for a culture it lacks or an id a translation leaves out). Errors of the user-pool
/// operations are shown in Cognito's own words (their AwsError message); the texts here are the pages' own.
/// </summary>
public sealed class HostedUiText
{
    public static HostedUiText English { get; } = new("en", new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["page.signIn.title"] = "Sign in",
        ["page.signIn.heading"] = "Sign in with your username and password",
        ["page.signUp.title"] = "Sign up",
        ["page.signUp.heading"] = "Sign up with a new account",
        ["page.confirm.title"] = "Confirm account",
        ["page.confirm.heading"] = "We have sent a code by email or SMS. Enter it below to confirm your account.",
        ["page.forgot.title"] = "Forgot your password?",
        ["page.forgot.heading"] = "Enter your username below and we will send a message to reset your password.",
        ["page.reset.title"] = "Reset your password",
        ["page.reset.heading"] = "Enter the code we sent you and a new password.",
        ["page.newPassword.title"] = "Change password",
        ["page.newPassword.heading"] = "Please enter a new password.",
        ["page.mfa.title"] = "Verification code",
        ["page.mfa.totp"] = "Enter the code from your authenticator app.",
        ["page.mfa.sms"] = "We have sent a code to {0}. Enter it to sign in.",
        ["page.mfa.email"] = "We have sent a code to {0}. Enter it to sign in.",
        ["page.selectMfa.title"] = "Choose how to verify",
        ["page.totpSetup.title"] = "Set up an authenticator app",
        ["page.totpSetup.heading"] = "Scan the QR code with your authenticator app, or enter the secret key, then enter a code it shows.",
        ["page.error.title"] = "Something went wrong",
        ["field.username"] = "Username",
        ["field.password"] = "Password",
        ["field.newPassword"] = "New password",
        ["field.confirmPassword"] = "Enter the new password again",
        ["field.email"] = "Email",
        ["field.phone"] = "Phone number",
        ["field.code"] = "Verification code",
        ["field.secret"] = "Secret key",
        ["field.mfaType"] = "Verification method",
        ["mfa.SMS_MFA"] = "Text message (SMS)",
        ["mfa.SOFTWARE_TOKEN_MFA"] = "Authenticator app",
        ["mfa.EMAIL_OTP"] = "Email",
        ["button.signIn"] = "Sign in",
        ["button.signUp"] = "Sign up",
        ["button.confirm"] = "Confirm account",
        ["button.resend"] = "Resend code",
        ["button.reset"] = "Reset my password",
        ["button.changePassword"] = "Change password",
        ["button.send"] = "Send code",
        ["button.continue"] = "Continue",
        ["link.signUp"] = "Need an account? Sign up",
        ["link.signIn"] = "Already have an account? Sign in",
        ["link.forgot"] = "Forgot your password?",
        ["idp.description"] = "Sign in with your corporate ID",
        ["idp.social"] = "Continue with {0}",
        ["idp.or"] = "or",
        ["qr.alt"] = "QR code for your authenticator app",
        ["error.csrf"] = "Your session has expired. Please reload the page and try again.",
        ["error.request"] = "The sign-in request is not valid.",
        ["error.passwordsDiffer"] = "The passwords do not match.",
        ["info.codeResent"] = "We have sent a new code.",
        ["info.passwordReset"] = "Your password has been reset. Sign in with the new one.",
        ["info.confirmed"] = "Your account is confirmed. Sign in to continue.",
    });

    private readonly FrozenDictionary<string, string> _texts;

    public HostedUiText(string culture, IReadOnlyDictionary<string, string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        Culture = culture;
        _texts = texts.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public string Culture { get; }

    public IEnumerable<string> Ids => _texts.Keys;

    /// <summary>The text of <paramref name="id"/>; an id no table has is a programming error.</summary>
    public string this[string id] =>
        _texts.TryGetValue(id, out var text) ? text
        : !ReferenceEquals(this, English) ? English[id]
        : throw new KeyNotFoundException($"The hosted UI has no message '{id}'.");

    /// <summary>The text of <paramref name="id"/> with its placeholders filled (the caller encodes the result for HTML).</summary>
    public string Format(string id, params object[] arguments) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, this[id], arguments);
}
