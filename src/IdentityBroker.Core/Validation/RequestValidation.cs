using IdentityBroker.Errors;

namespace IdentityBroker.Validation;

/// <summary>
/// Checks a bound request against the constraints of the AWS service model and words the failures as the
/// real front end does: <c>1 validation error detected: Value '…' at '…' failed to satisfy constraint: …</c>;
/// several failures are counted and joined with <c>"; "</c> (aws-sdk-cpp #1085: <c>3 validation errors detected: …; …; …</c>).
/// The real order is not stable across observed messages (Cognito printed <c>logins</c> before <c>identityId</c>; STS
/// printed a pattern failure before a length failure of the same member), so errors follow model member order and,
/// within a member, max length, min length, pattern.
/// </summary>
public static class RequestValidation
{
    /// <returns>Null when the request satisfies the model; otherwise a ValidationException (400).</returns>
    public static AwsError? Validate<T>(T request)
        where T : class, IModelRequest<T>
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = T.Validator.Validate(request);
        if (result.IsValid)
        {
            return null;
        }

        var errors = result.Errors;
        var noun = errors.Count == 1 ? "error" : "errors";
        var details = string.Join("; ", errors.Select(e => e.ErrorMessage));
        return CognitoErrors.Validation($"{errors.Count} validation {noun} detected: {details}");
    }
}
