using FluentValidation;
using IdentityBroker.Errors;
using IdentityBroker.Protocol.Json;

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
    /// <exception cref="InvalidOperationException">No validator exists for <typeparamref name="T"/> (a wiring mistake).</exception>
    public static AwsError? Validate<T>(T request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        var validator = ValidatorCache<T>.Instance
            ?? throw new InvalidOperationException($"No model validator is registered for {typeof(T).Name}.");
        var result = validator.Validate(request);
        if (result.IsValid)
        {
            return null;
        }

        var errors = result.Errors;
        var noun = errors.Count == 1 ? "error" : "errors";
        var details = string.Join("; ", errors.Select(e => e.ErrorMessage));
        return CognitoErrors.Validation($"{errors.Count} validation {noun} detected: {details}");
    }

    /// <summary>One validator per request type, built once per process (validators are stateless and thread-safe).</summary>
    private static class ValidatorCache<T>
    {
        public static readonly IValidator<T>? Instance = Create() as IValidator<T>;

        private static object? Create() => typeof(T) switch
        {
            var t when t == typeof(CreateIdentityPoolRequest) => new CreateIdentityPoolRequestValidator(),
            var t when t == typeof(IdentityPoolShape) => new IdentityPoolShapeValidator(),
            var t when t == typeof(IdentityPoolIdRequest) => new IdentityPoolIdRequestValidator(),
            var t when t == typeof(ListIdentityPoolsRequest) => new ListIdentityPoolsRequestValidator(),
            var t when t == typeof(GetIdRequest) => new GetIdRequestValidator(),
            var t when t == typeof(GetOpenIdTokenRequest) => new GetOpenIdTokenRequestValidator(),
            var t when t == typeof(GetCredentialsForIdentityRequest) => new GetCredentialsForIdentityRequestValidator(),
            var t when t == typeof(IdentityIdRequest) => new IdentityIdRequestValidator(),
            var t when t == typeof(ListIdentitiesRequest) => new ListIdentitiesRequestValidator(),
            var t when t == typeof(DeleteIdentitiesRequest) => new DeleteIdentitiesRequestValidator(),
            var t when t == typeof(SetIdentityPoolRolesRequest) => new SetIdentityPoolRolesRequestValidator(),
            var t when t == typeof(UnlinkIdentityRequest) => new UnlinkIdentityRequestValidator(),
            var t when t == typeof(GetOpenIdTokenForDeveloperIdentityRequest) => new GetOpenIdTokenForDeveloperIdentityRequestValidator(),
            var t when t == typeof(LookupDeveloperIdentityRequest) => new LookupDeveloperIdentityRequestValidator(),
            var t when t == typeof(MergeDeveloperIdentitiesRequest) => new MergeDeveloperIdentitiesRequestValidator(),
            var t when t == typeof(UnlinkDeveloperIdentityRequest) => new UnlinkDeveloperIdentityRequestValidator(),
            var t when t == typeof(SetPrincipalTagAttributeMapRequest) => new SetPrincipalTagAttributeMapRequestValidator(),
            var t when t == typeof(GetPrincipalTagAttributeMapRequest) => new GetPrincipalTagAttributeMapRequestValidator(),
            _ => null,
        };
    }
}
