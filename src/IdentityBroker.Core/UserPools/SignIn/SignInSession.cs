using System.Text.Json.Serialization;

namespace IdentityBroker.UserPools.SignIn;

/// <summary>
/// What the opaque <c>Session</c> between two sign-in calls carries, sealed by <see cref="SignInSessions"/>: the pool,
/// client, user and challenge it was issued for, when it expires, and the state the next answer is checked against.
/// </summary>
/// <param name="Sub">The user's sub; empty for a user that does not exist (existence hidden), whose answer always fails.</param>
/// <param name="Username">The user's name as Cognito keeps it (USER_ID_FOR_SRP), or the name given for an unknown user.</param>
/// <param name="Id">Random per session: the key of its use-once mark.</param>
/// <param name="SrpKey">PASSWORD_VERIFIER: the SRP session key (base64).</param>
/// <param name="SecretBlock">PASSWORD_VERIFIER: the SECRET_BLOCK issued (base64).</param>
/// <param name="SrpB">PASSWORD_VERIFIER: the SRP_B issued.</param>
/// <param name="Data">State a later challenge (MFA) keeps between its calls; null when none.</param>
public sealed record SignInSession(
    string UserPoolId,
    string ClientId,
    string Sub,
    string Username,
    string Challenge,
    DateTimeOffset ExpiresAt,
    string Id,
    string? SrpKey = null,
    string? SecretBlock = null,
    string? SrpB = null,
    IReadOnlyDictionary<string, string>? Data = null)
{
    /// <summary>The client's AuthSessionValidity when issued, so that a Session issued from this one (MFA_SETUP) lives as long.</summary>
    public TimeSpan Validity { get; init; } = SignInSessions.DefaultValidity;

    /// <summary>True for the session of a name that matched no user (PreventUserExistenceErrors ENABLED).</summary>
    [JsonIgnore]
    public bool IsUnknownUser => Sub.Length == 0;

    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"SignInSession {{ UserPoolId = {UserPoolId}, ClientId = {ClientId}, Challenge = {Challenge}, … }}";
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SignInSession))]
internal sealed partial class SignInSessionJsonContext : JsonSerializerContext;
