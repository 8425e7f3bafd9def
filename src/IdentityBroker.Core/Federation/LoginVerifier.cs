using IdentityBroker.Errors;
using IdentityBroker.Observability;
using IdentityBroker.Pools;

namespace IdentityBroker.Federation;

/// <summary>
/// Sends each entry of a Logins map to the validator for its provider; all must pass (Cognito Identity API reference,
/// GetOpenIdToken). Each entry's outcome is counted by provider kind (<see cref="BrokerMetrics.TokenValidated"/>).
/// </summary>
public sealed class LoginVerifier(IEnumerable<ILoginValidator> validators, BrokerMetrics? metrics = null)
{
    private readonly ILoginValidator[] _validators = [.. validators];

    public async ValueTask<Result<IReadOnlyList<ValidatedLogin>>> VerifyAsync(
        IdentityPool pool, IReadOnlyDictionary<string, string>? logins, CancellationToken cancellationToken)
    {
        if (logins is null || logins.Count == 0)
        {
            return Result<IReadOnlyList<ValidatedLogin>>.Ok([]);
        }

        var validated = new List<ValidatedLogin>(logins.Count);
        foreach (var (providerKey, token) in logins)
        {
            var validator = await FindValidatorAsync(pool, providerKey, cancellationToken).ConfigureAwait(false);
            if (validator is null)
            {
                var unsupported = CognitoErrors.UnsupportedProvider() with { Reason = "unsupported_provider" };
                metrics?.TokenValidated(LoginProviderKind.Of(providerKey), unsupported);
                return unsupported;
            }

            var login = await validator.ValidateAsync(pool, providerKey, token, cancellationToken).ConfigureAwait(false);
            metrics?.TokenValidated(LoginProviderKind.Of(providerKey), login.Error);
            if (!login.IsSuccess)
            {
                return login.Error!;
            }

            validated.Add(login.Value);
        }

        return validated;
    }

    private async ValueTask<ILoginValidator?> FindValidatorAsync(IdentityPool pool, string providerKey, CancellationToken cancellationToken)
    {
        foreach (var validator in _validators)
        {
            if (await validator.HandlesAsync(pool, providerKey, cancellationToken).ConfigureAwait(false))
            {
                return validator;
            }
        }

        return null;
    }
}
