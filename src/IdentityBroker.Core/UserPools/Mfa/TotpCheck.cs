using System.Security.Cryptography;
using System.Text;

namespace IdentityBroker.UserPools.Mfa;

/// <summary>
/// Checks a software-token code on the broker's clock: the current step and one step either side (RFC 6238 §5.2's
/// allowance for clock drift and typing delay), never a step at or before the last one accepted for the user, so a code
/// is accepted once (RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the OTP after the successful
/// validation has been issued for the first OTP").
/// </summary>
public sealed class TotpCheck(TimeProvider time)
{
    /// <summary>The step <paramref name="code"/> belongs to, or null when it matches none that may still be used.</summary>
    public long? Accept(string secret, string? code, long? lastAcceptedStep)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (code is not { Length: Totp.Digits } || !code.All(char.IsAsciiDigit) || Base32.Decode(secret) is not { Length: > 0 } key)
        {
            return null;
        }

        var now = Totp.StepAt(time.GetUtcNow());
        long? accepted = null;
        // Every candidate is computed and compared in fixed time, so the answer's timing does not say which step matched.
        for (var step = now - 1; step <= now + 1; step++)
        {
            var matches = CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(Totp.Code(key, step)), Encoding.ASCII.GetBytes(code));
            if (matches && step > (lastAcceptedStep ?? long.MinValue) && accepted is null)
            {
                accepted = step;
            }
        }

        return accepted;
    }
}
