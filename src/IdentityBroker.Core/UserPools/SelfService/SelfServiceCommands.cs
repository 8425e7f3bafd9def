using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SelfService;

// The commands of the unsigned user operations (SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword,
// ConfirmForgotPassword) and of the access-token ones. ToString never prints a password or a code.

/// <summary>Who calls an unsigned operation: the app client and, when it has a secret, the SECRET_HASH for the username.</summary>
public sealed record ClientCall(string ClientId, string? SecretHash);

public sealed record SignUp(ClientCall Client, string Username, string Password, IReadOnlyList<UserAttribute> Attributes)
{
    /// <summary>The request's ClientMetadata (and ValidationData) for the triggers the call runs.</summary>
    public Triggers.TriggerInputs Inputs { get; init; } = Triggers.TriggerInputs.None;

    public override string ToString() => $"SignUp {{ ClientId = {Client.ClientId} }}";
}

public sealed record ConfirmSignUp(ClientCall Client, string Username, string Code, bool ForceAliasCreation)
{
    /// <summary>The request's ClientMetadata (and ValidationData) for the triggers the call runs.</summary>
    public Triggers.TriggerInputs Inputs { get; init; } = Triggers.TriggerInputs.None;

    public override string ToString() => $"ConfirmSignUp {{ ClientId = {Client.ClientId} }}";
}

/// <summary>ResendConfirmationCode and ForgotPassword: a client and a username.</summary>
public sealed record UserCall(ClientCall Client, string Username)
{
    /// <summary>The request's ClientMetadata (and ValidationData) for the triggers the call runs.</summary>
    public Triggers.TriggerInputs Inputs { get; init; } = Triggers.TriggerInputs.None;
}

public sealed record ConfirmForgotPassword(ClientCall Client, string Username, string Code, string Password)
{
    /// <summary>The request's ClientMetadata (and ValidationData) for the triggers the call runs.</summary>
    public Triggers.TriggerInputs Inputs { get; init; } = Triggers.TriggerInputs.None;

    public override string ToString() => $"ConfirmForgotPassword {{ ClientId = {Client.ClientId} }}";
}

/// <summary>SignUp's answer: the user is never confirmed by SignUp itself (no pre-sign-up trigger yet).</summary>
public sealed record SignUpResult(string UserSub, CodeDeliveryDetails? Delivery)
{
    /// <summary>SignUpResponse.UserConfirmed: true when the PreSignUp trigger confirmed the user.</summary>
    public bool Confirmed { get; init; }
}

/// <summary>An access-token operation's caller: the pool and sub the token speaks for.</summary>
public sealed record OwnUser(string UserPoolId, string Sub, string ClientId);

public sealed record UpdateOwnAttributes(OwnUser User, IReadOnlyList<UserAttribute> Attributes);

public sealed record DeleteOwnAttributes(OwnUser User, IReadOnlyList<string> Names);

public sealed record OwnAttribute(OwnUser User, string AttributeName);

public sealed record VerifyOwnAttribute(OwnUser User, string AttributeName, string Code)
{
    public override string ToString() => $"VerifyOwnAttribute {{ AttributeName = {AttributeName} }}";
}

public sealed record ChangeOwnPassword(OwnUser User, string PreviousPassword, string ProposedPassword)
{
    public override string ToString() => "ChangeOwnPassword { … }";
}
