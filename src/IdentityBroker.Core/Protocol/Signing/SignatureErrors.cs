using IdentityBroker.Errors;

namespace IdentityBroker.Protocol.Signing;

/// <summary>The texts AWS front ends use for signature refusals; the same in the JSON and the Query protocols.</summary>
internal static class SignatureMessages
{
    public const string Missing = "Request is missing Authentication Token";

    public const string UnknownAccessKey = "The security token included in the request is invalid.";

    public const string ExpiredToken = "The security token included in the request is expired";

    public const string Mismatch =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
}

/// <summary>
/// Maps a refused <see cref="SignatureVerification"/> to the error each protocol's real service returns.
/// The message is the verifier's (AWS wording, e.g. "Signature expired: ... (... - 15 min.)"); names and status codes differ.
/// </summary>
public static class SignatureErrors
{
    /// <summary>
    /// JSON 1.1 services (Cognito Identity). The AWS JSON front end answers every signature refusal with 400, with a
    /// <c>...Exception</c> name. Evidence: an unsigned DynamoDB (same front end) call observed as
    /// <c>HTTP/1.1 400 Bad Request {"__type":"com.amazon.coral.service#MissingAuthenticationTokenException","message":"Request is missing Authentication Token"}</c>;
    /// cognito-idp (JSON 1.1) observed answering <c>400 Bad Request</c> with UnrecognizedClientException and with
    /// InvalidSignatureException (aws-sdk-php users' logs); aws-sdk-js issue #254 shows "Signature expired: ..." as
    /// InvalidSignatureException with statusCode 400. (REST services such as API Gateway or EKS use 403; JSON services do not.)
    /// </summary>
    public static AwsError ForJson(SignatureVerification verification)
    {
        var failure = FailureOf(verification);
        var type = failure switch
        {
            SignatureFailure.Missing => "MissingAuthenticationTokenException",
            SignatureFailure.Incomplete => "IncompleteSignatureException",
            SignatureFailure.UnknownAccessKey => "UnrecognizedClientException",
            SignatureFailure.ExpiredToken => "ExpiredTokenException",
            _ => "InvalidSignatureException",
        };
        return new AwsError(type, verification.Message, 400);
    }

    /// <summary>
    /// Query services (IAM, STS). Status codes from the IAM/STS "Common Errors" reference: MissingAuthenticationToken 403,
    /// InvalidClientTokenId 403, IncompleteSignature 400; SignatureDoesNotMatch is observed as 403, also for
    /// "Signature expired: ..." (e.g. terraform logs "sts:GetCallerIdentity: SignatureDoesNotMatch: Signature expired ... status code: 403").
    /// </summary>
    public static AwsError ForQuery(SignatureVerification verification)
    {
        var failure = FailureOf(verification);
        return failure switch
        {
            SignatureFailure.Missing => new AwsError("MissingAuthenticationToken", verification.Message, 403),
            SignatureFailure.Incomplete => new AwsError("IncompleteSignature", verification.Message, 400),
            SignatureFailure.UnknownAccessKey => new AwsError("InvalidClientTokenId", verification.Message, 403),
            SignatureFailure.ExpiredToken => new AwsError("ExpiredToken", verification.Message, 403),
            _ => new AwsError("SignatureDoesNotMatch", verification.Message, 403),
        };
    }

    private static SignatureFailure FailureOf(SignatureVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return verification.Failure
            ?? throw new ArgumentException("A valid signature has no error to report.", nameof(verification));
    }
}
