using System.Text.Json;
using IdentityBroker.Errors;
using IdentityBroker.Server.OAuth;
using IdentityBroker.UserPools.HostedUi;
using IdentityBroker.UserPools.Mfa;
using IdentityBroker.UserPools.OAuth;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Server.HostedUi;

/// <summary>
/// /login and /challenge: the sign-in form, then whatever <see cref="HostedSignIn"/> answers: a challenge page (new
/// password, MFA code, MFA type, TOTP set-up with its QR code), an error in Cognito's words on the page, the confirm page
/// for an unconfirmed user, or the end: the browser session (<see cref="HostedSessions"/>) and the redirect to the
/// client (<see cref="AuthorizationCompletion"/>).
/// </summary>
internal sealed class SignInPages(HostedSignIn signIn, HostedSessions browserSessions, AuthorizationCompletion completion, TimeProvider time)
{
    private const string ChallengeField = "challenge";
    private const string SessionField = "session";
    private const string CodeField = "code";

    private static readonly Dictionary<string, string> InfoIds = new(StringComparer.Ordinal)
    {
        ["confirmed"] = "info.confirmed",
        ["passwordReset"] = "info.passwordReset",
    };

    public static Task<IResult> ShowAsync(HostedCall call) =>
        LoginPageAsync(call, call.Authorize.Request.LoginHint, null, call.QueryValue("info") is { } info && InfoIds.TryGetValue(info, out var id) ? id : null);

    public async Task<IResult> SignInAsync(HostedCall call)
    {
        var username = call.Field("username");
        var password = call.Field("password");
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return await LoginPageAsync(call, username, SignInErrors.MissingParameter(string.IsNullOrEmpty(username) ? "USERNAME" : "PASSWORD").Message, null)
                .ConfigureAwait(false);
        }

        var outcome = await signIn.SignInAsync(call.Pool, call.Client, username, password, call.Http.RequestAborted).ConfigureAwait(false);
        return await NextAsync(call, outcome, username).ConfigureAwait(false);
    }

    public async Task<IResult> RespondAsync(HostedCall call)
    {
        var challenge = call.Field(ChallengeField) ?? string.Empty;
        var session = call.Field(SessionField);
        var username = call.Field("username");
        var ct = call.Http.RequestAborted;
        if (challenge == MfaChallengeNames.MfaSetup)
        {
            var verified = await signIn.VerifyTotpAsync(call.Pool, call.Client, session, call.Field(CodeField) ?? string.Empty, ct).ConfigureAwait(false);
            return await NextAsync(call, verified, username).ConfigureAwait(false);
        }

        var outcome = await signIn.RespondAsync(call.Pool, call.Client, challenge, session, Responses(call, challenge), ct).ConfigureAwait(false);
        if (!outcome.IsSuccess && challenge == ChallengeNames.NewPasswordRequired && outcome.Error!.Type != "NotAuthorizedException")
        {
            // The new password was refused (policy, a missing attribute): the same Session may answer again, as the API allows.
            var again = SignInOutcome.Challenge(challenge, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["requiredAttributes"] = call.Field("requiredAttributes") ?? "[]",
            }, session ?? string.Empty);
            return await ChallengePageAsync(call, again, username, outcome.Error.Message).ConfigureAwait(false);
        }

        return await NextAsync(call, outcome, username).ConfigureAwait(false);
    }

    /// <summary>A sign-in outcome reached elsewhere (the confirmation page's sign-in): its challenge pages, or the end.</summary>
    public Task<IResult> ContinueAsync(HostedCall call, Result<SignInOutcome> outcome, string username) => NextAsync(call, outcome, username);

    private async Task<IResult> NextAsync(HostedCall call, Result<SignInOutcome> outcome, string? username)
    {
        if (!outcome.IsSuccess)
        {
            return outcome.Error!.Type == SignInErrors.UserNotConfirmed.Type && username is not null
                ? Results.Redirect(call.Path("/confirm", ("username", username)))
                : await LoginPageAsync(call, username, outcome.Error.Message, null).ConfigureAwait(false);
        }

        if (outcome.Value.HostedUser is { } user)
        {
            return await CompleteAsync(call, user).ConfigureAwait(false);
        }

        return await ChallengePageAsync(call, outcome.Value, username, null).ConfigureAwait(false);
    }

    private async Task<IResult> CompleteAsync(HostedCall call, PoolUser user)
    {
        var authTime = time.GetUtcNow();
        await browserSessions.StartAsync(call.Http, call.Pool, user, authTime).ConfigureAwait(false);
        var target = await completion.CompleteAsync(call.Authorize, user, authTime, call.Http.RequestAborted).ConfigureAwait(false);
        HostedUiSecurity.CommonHeaders(call.Http);
        return Results.Redirect(target.AbsoluteUri);
    }

    private static async Task<IResult> LoginPageAsync(HostedCall call, string? username, string? error, string? infoId)
    {
        var v = call.Views;
        var buttons = await ProviderButtons.ForAsync(call).ConfigureAwait(false);
        var page = v.NewPage("page.signIn.title").Providers(buttons).Heading(v.Text["page.signIn.heading"]).Error(error).Info(infoId is null ? null : v.Text[infoId])
            .Form(call.Path("/login"), call.Csrf, new Dictionary<string, string>(),
                [new("username", "field.username", "text", "username", username), new("password", "field.password", "password", "current-password")],
                "button.signIn")
            .Link(call.Path("/forgotPassword"), "link.forgot")
            .Link(call.Path("/signup"), "link.signUp");
        return await HostedViews.HtmlAsync(call, page, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest).ConfigureAwait(false);
    }

    private async Task<IResult> ChallengePageAsync(HostedCall call, SignInOutcome challenge, string? username, string? error)
    {
        var v = call.Views;
        var name = challenge.ChallengeName!;
        var p = challenge.ChallengeParameters ?? new Dictionary<string, string>();
        var hidden = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ChallengeField] = name, [SessionField] = challenge.Session ?? string.Empty, ["username"] = username ?? string.Empty,
        };
        HostedPage page;
        switch (name)
        {
            case ChallengeNames.NewPasswordRequired:
                var required = JsonArray(p.GetValueOrDefault("requiredAttributes"));
                hidden["requiredAttributes"] = JsonSerializer.Serialize(required, HostedUiJsonContext.Default.StringArray);
                var fields = new List<FormField> { new(SignInParameters.NewPassword, "field.newPassword", "password", "new-password") };
                fields.AddRange(required.Select(a => new FormField(a, "field.username") { LabelText = a[SignInParameters.AttributePrefix.Length..] }));
                page = v.NewPage("page.newPassword.title").Heading(v.Text["page.newPassword.heading"]).Error(error)
                    .Form(call.Path("/challenge"), call.Csrf, hidden, fields, "button.changePassword");
                break;
            case MfaChallengeNames.SelectMfaType:
                var choices = JsonArray(p.GetValueOrDefault(MfaChallengeNames.CanChoose)).Select(k => new FormChoice(k, "mfa." + k)).ToList();
                page = v.NewPage("page.selectMfa.title").Error(error).Form(call.Path("/challenge"), call.Csrf, hidden, [], "button.continue", choices);
                break;
            case MfaChallengeNames.MfaSetup:
                var associated = await signIn.AssociateTotpAsync(challenge.Session, call.Http.RequestAborted).ConfigureAwait(false);
                if (!associated.IsSuccess)
                {
                    return await LoginPageAsync(call, username, associated.Error!.Message, null).ConfigureAwait(false);
                }

                hidden[SessionField] = associated.Value.Session;
                var uri = TotpQr.OtpAuthUri(call.Pool.Name, username ?? p.GetValueOrDefault(SignInParameters.UserIdForSrp) ?? string.Empty, associated.Value.SecretCode);
                page = v.NewPage("page.totpSetup.title").Heading(v.Text["page.totpSetup.heading"]).Error(error)
                    .Qr(TotpQr.PngDataUri(uri), associated.Value.SecretCode)
                    .Form(call.Path("/challenge"), call.Csrf, hidden, [CodeInput()], "button.continue");
                break;
            default:
                var destination = p.GetValueOrDefault(MfaChallengeNames.DeliveryDestination) ?? string.Empty;
                var heading = name switch
                {
                    MfaKinds.Sms => v.Text.Format("page.mfa.sms", destination),
                    MfaKinds.Email => v.Text.Format("page.mfa.email", destination),
                    _ => v.Text["page.mfa.totp"],
                };
                page = v.NewPage("page.mfa.title").Heading(heading).Error(error).Form(call.Path("/challenge"), call.Csrf, hidden, [CodeInput()], "button.signIn");
                break;
        }

        return await HostedViews.HtmlAsync(call, page, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest).ConfigureAwait(false);
    }

    /// <summary>The challenge's answer under Cognito's ChallengeResponses names, from the page's fields.</summary>
    private static Dictionary<string, string> Responses(HostedCall call, string challenge)
    {
        var responses = new Dictionary<string, string>(StringComparer.Ordinal);
        void Copy(string key, string? value)
        {
            if (value is not null)
            {
                responses[key] = value;
            }
        }

        Copy(SignInParameters.Username, call.Field("username"));
        switch (challenge)
        {
            case ChallengeNames.NewPasswordRequired:
                Copy(SignInParameters.NewPassword, call.Field(SignInParameters.NewPassword));
                foreach (var attribute in JsonArray(call.Field("requiredAttributes")))
                {
                    Copy(attribute, call.Field(attribute));
                }

                break;
            case MfaChallengeNames.SelectMfaType:
                Copy(MfaChallengeNames.Answer, call.Field("answer"));
                break;
            case MfaKinds.Sms:
                Copy(MfaChallengeNames.SmsCode, call.Field(CodeField));
                break;
            case MfaKinds.Email:
                Copy(MfaChallengeNames.EmailCode, call.Field(CodeField));
                break;
            case MfaKinds.SoftwareToken:
                Copy(MfaChallengeNames.SoftwareTokenCode, call.Field(CodeField));
                break;
        }

        return responses;
    }

    private static FormField CodeInput() => new(CodeField, "field.code", "text", "one-time-code");

    /// <summary>A JSON array of attribute names as the challenge parameters carry them; anything else reads as empty.</summary>
    private static string[] JsonArray(string? json)
    {
        if (string.IsNullOrEmpty(json) || json.Length > 4096)
        {
            return [];
        }

        try
        {
            return (JsonSerializer.Deserialize(json, HostedUiJsonContext.Default.StringArray) ?? [])
                .Where(a => a.Length is > 0 and <= 64 && a.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-'))
                .Take(25).ToArray();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class HostedUiJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
