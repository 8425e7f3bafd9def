namespace IdentityBroker.UserPools.Mfa;

/// <summary>
/// CODE_DELIVERY_DESTINATION as Cognito shows it: a phone number with all but its last four digits starred
/// (<c>+*******0100</c>), an email with the first letter of its local part and domain (<c>l***@e***</c>).
/// </summary>
public static class DestinationMask
{
    public static string Phone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        var digits = phone.TrimStart('+');
        return digits.Length <= 4 ? "+" + new string('*', digits.Length) : "+" + new string('*', digits.Length - 4) + digits[^4..];
    }

    public static string Email(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 || at == email.Length - 1 ? "***" : $"{email[0]}***@{email[at + 1]}***";
    }
}
