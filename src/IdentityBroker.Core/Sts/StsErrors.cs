using IdentityBroker.Errors;

namespace IdentityBroker.Sts;

/// <summary>STS errors with the codes and HTTP statuses of sts.service-2.json and the real service's wording (STS API reference, AssumeRoleWithWebIdentity).</summary>
public static class StsErrors
{
    public static AwsError InvalidIdentityToken(string message) => new("InvalidIdentityToken", message, 400);

    /// <summary>AWS's own wording, including its missing space before the expiry time.</summary>
    public static AwsError ExpiredToken(DateTimeOffset now, long expiry) =>
        new("ExpiredTokenException", $"Token expired: current date/time {now.ToUnixTimeSeconds()} must be before the expiration date/time{expiry}", 400);

    /// <summary>A registered provider's discovery document or keys could not be fetched (STS: retry later).</summary>
    public static AwsError IdpCommunication() => new("IDPCommunicationError",
        "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements", 400);

    public static AwsError AccessDenied(string action) => new("AccessDenied", $"Not authorized to perform {action}", 403);

    public static AwsError Validation(string message) => new("ValidationError", message, 400);

    public static AwsError DurationTooLong() =>
        Validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");

    public static AwsError PackedPolicyTooLarge(string message) => new("PackedPolicyTooLarge", message, 400);
}
