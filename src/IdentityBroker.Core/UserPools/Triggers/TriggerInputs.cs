using System.Text.Json.Nodes;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>
/// What a caller hands the pool's functions for one call: the request's <c>ClientMetadata</c> and, for SignUp and
/// AdminCreateUser, its <c>ValidationData</c>. Cognito stores neither; each event that documents the member carries it
/// (InitiateAuth's ClientMetadata arrives as <c>validationData</c> of pre authentication and user migration, as the
/// API reference of InitiateAuth says).
/// </summary>
public sealed record TriggerInputs(IReadOnlyDictionary<string, string>? ClientMetadata = null, IReadOnlyDictionary<string, string>? ValidationData = null)
{
    public static TriggerInputs None { get; } = new();

    /// <summary>InitiateAuth's and AdminInitiateAuth's ClientMetadata: the validation data of the first triggers of a sign-in.</summary>
    public static TriggerInputs SignInStart(IReadOnlyDictionary<string, string>? clientMetadata) => new(null, clientMetadata);

    /// <summary>Adds <c>clientMetadata</c> to a request when the caller sent some; Cognito leaves the member out otherwise.</summary>
    public JsonObject WithClientMetadata(JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ClientMetadata is not null)
        {
            request["clientMetadata"] = TriggerInvoker.Attributes(ClientMetadata);
        }

        return request;
    }

    /// <summary><c>validationData</c>: the map, or null when the caller sent none.</summary>
    public JsonObject? ValidationDataJson() => ValidationData is null ? null : TriggerInvoker.Attributes(ValidationData);
}
