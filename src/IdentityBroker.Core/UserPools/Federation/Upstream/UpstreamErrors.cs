using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Federation.Upstream;

/// <summary>
/// Why a federated sign-in failed, as OAuth errors the client receives at its redirect URI (RFC 6749 §4.1.2.1); the
/// descriptions name the stage, never a code, token or claim.
/// </summary>
public static class UpstreamErrors
{
    public static AwsError ProviderUnavailable { get; } = new("invalid_request", "The identity provider could not be reached.");

    public static AwsError CodeRefused { get; } = new("invalid_request", "The identity provider refused the authorization code.");

    public static AwsError NoIdToken { get; } = new("invalid_request", "The identity provider returned no ID token.");

    public static AwsError BadIdToken { get; } = new("invalid_request", "The identity provider's ID token is not valid.");

    public static AwsError NonceMismatch { get; } = new("invalid_request", "The identity provider's ID token does not carry this sign-in's nonce.");

    public static AwsError StateMismatch { get; } = new("invalid_request", "The state does not match this browser's sign-in.");
}
