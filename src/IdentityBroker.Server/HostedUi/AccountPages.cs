using IdentityBroker.Errors;
using IdentityBroker.UserPools.HostedUi;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.SelfService;
using IdentityBroker.UserPools.SignIn;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.Server.HostedUi;

/// <summary>
/// /signup, /confirm, /forgotPassword and /confirmForgotPassword: the self-service operations (SignUp, ConfirmSignUp,
/// ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword) run for the page's client. The hosted UI is the pool's
/// own front end, so a client with a secret is called with the SECRET_HASH the broker computes itself, as Cognito's hosted
/// UI needs none from the browser. Errors are shown in Cognito's words; success moves to the next page (a redirect, so that
/// a reload does not post again). As in Cognito's hosted UI, a confirmed sign-up signs the user in: the sign-up page gives
/// this browser a sealed <see cref="SignUpTickets"/> cookie, and the confirmation of that same user (or a sign-up the
/// PreSignUp trigger confirmed at once) continues as a sign-in does, to the client's callback with a code.
/// </summary>
internal sealed class AccountPages(SignUpOperations signUps, PasswordResetOperations resets, SignUpTickets tickets, HostedSignIn signIn, SignInPages signInPages,
    TimeProvider time)
{
    /// <summary>The sign-up ticket; HttpOnly, SameSite=Lax, Secure over https, only sent to the confirmation page.</summary>
    public const string SignUpCookie = "cognito-signup";

    private static readonly Dictionary<string, string> InfoIds = new(StringComparer.Ordinal) { ["codeResent"] = "info.codeResent" };

    public static Task<IResult> ShowSignUpAsync(HostedCall call) => SignUpPageAsync(call, null);

    public async Task<IResult> SignUpAsync(HostedCall call)
    {
        var username = call.Field("username") ?? string.Empty;
        var attributes = SignUpFields(call.Pool).Skip(2)
            .Select(f => (f.Name, Value: call.Field(f.Name)))
            .Where(a => !string.IsNullOrEmpty(a.Value))
            .Select(a => new UserAttribute(a.Name, a.Value!)).ToList();
        if (UsesEmailAsUsername(call.Pool) && attributes.All(a => a.Name != StandardAttributes.Email))
        {
            attributes.Add(new UserAttribute(StandardAttributes.Email, username));
        }

        var command = new SignUp(Caller(call, username), username, call.Field("password") ?? string.Empty, attributes);
        var result = await signUps.SignUpAsync(command, call.Http.RequestAborted).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return await SignUpPageAsync(call, result.Error!.Message).ConfigureAwait(false);
        }

        var ticket = await tickets.SealAsync(call.Pool.Id, call.Client.ClientId, result.Value.UserSub, call.Http.RequestAborted).ConfigureAwait(false);
        if (result.Value.Confirmed)
        {
            return await SignInConfirmedAsync(call, ticket, username).ConfigureAwait(false);
        }

        call.Http.Response.Cookies.Append(SignUpCookie, ticket, TicketCookie(call.Http, time.GetUtcNow() + SignUpTickets.Lifetime));
        return Results.Redirect(call.Path("/confirm", ("username", username)), permanent: false, preserveMethod: false);
    }

    /// <summary>
    /// The user this browser signed up is confirmed: the sign-in continues (MFA pages if the pool asks, else the session and
    /// the redirect to the client with a code). Without this browser's ticket for that user, the login page as before.
    /// </summary>
    private async Task<IResult> SignInConfirmedAsync(HostedCall call, string? ticket, string username)
    {
        var ct = call.Http.RequestAborted;
        var sub = await tickets.OpenAsync(ticket, call.Pool.Id, call.Client.ClientId, ct).ConfigureAwait(false);
        var outcome = sub is null ? null : await signIn.SignInConfirmedAsync(call.Pool, call.Client, sub, username, ct).ConfigureAwait(false);
        return outcome is { } signedIn
            ? await signInPages.ContinueAsync(call, signedIn, username).ConfigureAwait(false)
            : Results.Redirect(call.Path("/login", ("info", "confirmed")));
    }

    private static CookieOptions TicketCookie(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        Path = "/confirm",
        Expires = expires,
        IsEssential = true,
    };

    public static Task<IResult> ShowConfirmAsync(HostedCall call) =>
        ConfirmPageAsync(call, call.QueryValue("username"), null, call.QueryValue("info") is { } i && InfoIds.TryGetValue(i, out var id) ? id : null);

    public async Task<IResult> ConfirmAsync(HostedCall call)
    {
        var username = call.Field("username") ?? string.Empty;
        var ct = call.Http.RequestAborted;
        if (call.Field("action") == "resend")
        {
            var resent = await signUps.ResendConfirmationCodeAsync(new UserCall(Caller(call, username), username), ct).ConfigureAwait(false);
            return resent.IsSuccess
                ? Results.Redirect(call.Path("/confirm", ("username", username), ("info", "codeResent")))
                : await ConfirmPageAsync(call, username, resent.Error!.Message, null).ConfigureAwait(false);
        }

        var confirmed = await signUps.ConfirmSignUpAsync(new ConfirmSignUp(Caller(call, username), username, call.Field("code") ?? string.Empty, false), ct)
            .ConfigureAwait(false);
        if (!confirmed.IsSuccess)
        {
            return await ConfirmPageAsync(call, username, confirmed.Error!.Message, null).ConfigureAwait(false);
        }

        // The ticket is spent whatever follows: one confirmation signs in at most once.
        var ticket = call.Http.Request.Cookies[SignUpCookie];
        call.Http.Response.Cookies.Delete(SignUpCookie, TicketCookie(call.Http, null));
        return await SignInConfirmedAsync(call, ticket, username).ConfigureAwait(false);
    }

    public static Task<IResult> ShowForgotAsync(HostedCall call) => ForgotPageAsync(call, null);

    public async Task<IResult> ForgotAsync(HostedCall call)
    {
        var username = call.Field("username") ?? string.Empty;
        var sent = await resets.ForgotPasswordAsync(new UserCall(Caller(call, username), username), call.Http.RequestAborted).ConfigureAwait(false);
        return sent.IsSuccess
            ? Results.Redirect(call.Path("/confirmForgotPassword", ("username", username)))
            : await ForgotPageAsync(call, sent.Error!.Message).ConfigureAwait(false);
    }

    public static Task<IResult> ShowResetAsync(HostedCall call) => ResetPageAsync(call, call.QueryValue("username"), null);

    public async Task<IResult> ResetAsync(HostedCall call)
    {
        var username = call.Field("username") ?? string.Empty;
        var password = call.Field("password") ?? string.Empty;
        if (password != call.Field("confirmPassword"))
        {
            return await ResetPageAsync(call, username, call.Views.Text["error.passwordsDiffer"]).ConfigureAwait(false);
        }

        var command = new ConfirmForgotPassword(Caller(call, username), username, call.Field("code") ?? string.Empty, password);
        var reset = await resets.ConfirmForgotPasswordAsync(command, call.Http.RequestAborted).ConfigureAwait(false);
        return reset.IsSuccess
            ? Results.Redirect(call.Path("/login", ("info", "passwordReset")))
            : await ResetPageAsync(call, username, reset.Error!.Message).ConfigureAwait(false);
    }

    /// <summary>The page's client as a caller of the self-service operations, with the SECRET_HASH a client with a secret needs.</summary>
    private static ClientCall Caller(HostedCall call, string username) =>
        new(call.Client.ClientId, call.Client.ClientSecret is { } secret ? SecretHash.Compute(secret, username, call.Client.ClientId) : null);

    private static bool UsesEmailAsUsername(UserPool pool) => pool.UsernameAttributes?.Contains(StandardAttributes.Email) == true;

    /// <summary>Username and password, then email (unless it is the username), phone, and the schema's other required attributes.</summary>
    private static List<FormField> SignUpFields(UserPool pool)
    {
        var emailUsername = UsesEmailAsUsername(pool);
        var fields = new List<FormField>
        {
            new("username", emailUsername ? "field.email" : "field.username", emailUsername ? "email" : "text", emailUsername ? "email" : "username"),
            new("password", "field.password", "password", "new-password"),
        };
        var required = (pool.Schema ?? []).Where(a => a.Required && a.Name != StandardAttributes.Sub).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        if (!emailUsername)
        {
            fields.Add(new(StandardAttributes.Email, "field.email", "email", "email", Required: required.Contains(StandardAttributes.Email)));
        }

        if (required.Contains(StandardAttributes.PhoneNumber))
        {
            fields.Add(new(StandardAttributes.PhoneNumber, "field.phone", "tel", "tel"));
        }

        fields.AddRange(required.Where(n => n is not (StandardAttributes.Email or StandardAttributes.PhoneNumber))
            .Select(n => new FormField(n, "field.username") { LabelText = n }));
        return fields;
    }

    private static Task<IResult> SignUpPageAsync(HostedCall call, string? error)
    {
        var v = call.Views;
        var fields = SignUpFields(call.Pool);
        var page = v.NewPage("page.signUp.title").Heading(v.Text["page.signUp.heading"]).Error(error)
            .Form(call.Path("/signup"), call.Csrf, new Dictionary<string, string>(),
                fields.Select(f => f.Type == "password" ? f : f with { Value = call.Field(f.Name) }).ToList(), "button.signUp")
            .Link(call.Path("/login"), "link.signIn");
        return HostedViews.HtmlAsync(call, page, Status(error));
    }

    private static Task<IResult> ConfirmPageAsync(HostedCall call, string? username, string? error, string? infoId)
    {
        var v = call.Views;
        var page = v.NewPage("page.confirm.title").Heading(v.Text["page.confirm.heading"]).Error(error).Info(infoId is null ? null : v.Text[infoId])
            .Form(call.Path("/confirm"), call.Csrf, new Dictionary<string, string>(),
                [new("username", "field.username", "text", "username", username), new("code", "field.code", "text", "one-time-code")],
                "button.confirm", secondarySubmitId: "button.resend");
        return HostedViews.HtmlAsync(call, page, Status(error));
    }

    private static Task<IResult> ForgotPageAsync(HostedCall call, string? error)
    {
        var v = call.Views;
        var page = v.NewPage("page.forgot.title").Heading(v.Text["page.forgot.heading"]).Error(error)
            .Form(call.Path("/forgotPassword"), call.Csrf, new Dictionary<string, string>(),
                [new("username", "field.username", "text", "username", call.Field("username"))], "button.reset")
            .Link(call.Path("/login"), "link.signIn");
        return HostedViews.HtmlAsync(call, page, Status(error));
    }

    private static Task<IResult> ResetPageAsync(HostedCall call, string? username, string? error)
    {
        var v = call.Views;
        var page = v.NewPage("page.reset.title").Heading(v.Text["page.reset.heading"]).Error(error)
            .Form(call.Path("/confirmForgotPassword"), call.Csrf, new Dictionary<string, string>(),
                [
                    new("username", "field.username", "text", "username", username), new("code", "field.code", "text", "one-time-code"),
                    new("password", "field.newPassword", "password", "new-password"),
                    new("confirmPassword", "field.confirmPassword", "password", "new-password"),
                ], "button.changePassword");
        return HostedViews.HtmlAsync(call, page, Status(error));
    }

    private static int Status(string? error) => error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
}
