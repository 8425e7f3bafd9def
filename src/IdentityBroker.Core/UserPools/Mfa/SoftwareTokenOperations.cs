using System.Security.Cryptography;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Mfa;

/// <summary>
/// AssociateSoftwareToken and VerifySoftwareToken. Association draws a 160-bit secret (RFC 4226 §4 R6 recommends 160
/// bits) and keeps it pending on the user; a verified code makes it the user's software token and enables
/// SOFTWARE_TOKEN_MFA. The secret is returned once, by the association, and never logged.
/// </summary>
public sealed class SoftwareTokenOperations(UserWrites users, TotpCheck check)
{
    private const int SecretBytes = 20;

    /// <summary>The new secret, base32 (SecretCodeType <c>[A-Za-z0-9]+</c>, 32 characters).</summary>
    public async Task<Result<string>> AssociateAsync(AssociateSoftwareToken command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var secret = Base32.Encode(RandomNumberGenerator.GetBytes(SecretBytes));
        var stored = await users.ChangeAsync(command.User.UserPoolId, command.User.Username, (_, user) => user with
        {
            Mfa = user.Mfa with { PendingTotpSecret = secret },
        }, cancellationToken).ConfigureAwait(false);
        return stored.IsSuccess ? secret : stored.Error!;
    }

    /// <summary>Accepts a code of the pending secret; the stored user.</summary>
    public Task<Result<PoolUser>> VerifyAsync(VerifySoftwareToken command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return users.ChangeAsync(command.User.UserPoolId, command.User.Username, (_, user) => Verified(user, command.UserCode), cancellationToken);
    }

    private Result<PoolUser> Verified(PoolUser user, string code)
    {
        if (user.Mfa.PendingTotpSecret is not { } pending)
        {
            return MfaErrors.NoSoftwareToken;
        }

        if (check.Accept(pending, code, user.Mfa.TotpLastStep) is not { } step)
        {
            return MfaErrors.SoftwareTokenMismatch;
        }

        return user with
        {
            Mfa = user.Mfa with { TotpSecret = pending, PendingTotpSecret = null, TotpEnabled = true, TotpLastStep = step },
        };
    }
}
