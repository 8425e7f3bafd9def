using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Passwords;

/// <summary>
/// Checks a new password against a <see cref="PasswordPolicy"/> and names the first clause it fails with Cognito's
/// InvalidPasswordException wording ("Password did not conform with policy: Password not long enough", "… Password must
/// have uppercase characters", "lowercase", "numeric", "symbol"). Clauses are checked in that order. Character classes
/// are Basic Latin: A–Z, a–z, 0–9, and Cognito's special characters (developer guide, "Adding user pool password
/// requirements"), the space included.
/// </summary>
public static class PasswordPolicyCheck
{
    /// <summary>^ $ * . [ ] { } ( ) ? " ! @ # % &amp; / \ , &gt; &lt; ' : ; | _ ~ ` = + - and the space.</summary>
    public const string Symbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

    /// <summary>Null when the password satisfies the policy, otherwise the InvalidPasswordException.</summary>
    public static AwsError? Check(PasswordPolicy policy, string password)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(password);

        // Length counts characters as the service does (a UTF-16 surrogate pair counts as two, as in Java).
        if (password.Length < policy.MinimumLength)
        {
            return UserPoolErrors.InvalidPassword("Password not long enough");
        }

        if (policy.RequireUppercase && !password.Any(char.IsAsciiLetterUpper))
        {
            return UserPoolErrors.InvalidPassword("Password must have uppercase characters");
        }

        if (policy.RequireLowercase && !password.Any(char.IsAsciiLetterLower))
        {
            return UserPoolErrors.InvalidPassword("Password must have lowercase characters");
        }

        if (policy.RequireNumbers && !password.Any(char.IsAsciiDigit))
        {
            return UserPoolErrors.InvalidPassword("Password must have numeric characters");
        }

        if (policy.RequireSymbols && !password.Any(c => Symbols.Contains(c, StringComparison.Ordinal)))
        {
            return UserPoolErrors.InvalidPassword("Password must have symbol characters");
        }

        return null;
    }
}
