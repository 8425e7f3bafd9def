using IdentityBroker.UserPools.Messages;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.SelfService;

/// <summary>
/// CodeDeliveryDetailsType: where a code went, with the destination masked as Cognito masks it — an email keeps the
/// first character of its local part and of its domain and the domain's last label (<c>a***@e***.com</c>, as the
/// sign-up reply of the AWS CLI shows it), a phone number keeps its <c>+</c> and its last four digits
/// (<c>+********1234</c>, as quoted in aws-amplify/amplify-js#2341).
/// </summary>
public sealed record CodeDeliveryDetails(string Destination, string DeliveryMedium, string AttributeName)
{
    public static CodeDeliveryDetails For(string attribute, string destination) => attribute == StandardAttributes.Email
        ? new(MaskEmail(destination), "EMAIL", attribute)
        : new(MaskPhone(destination), "SMS", attribute);

    public static MessageChannel ChannelOf(string attribute) =>
        attribute == StandardAttributes.Email ? MessageChannel.Email : MessageChannel.Sms;

    public static string MaskEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var at = email.LastIndexOf('@');
        if (at <= 0 || at == email.Length - 1)
        {
            return "***";
        }

        var domain = email[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        var tail = dot > 0 ? domain[dot..] : string.Empty;
        return $"{email[0]}***@{domain[0]}***{tail}";
    }

    public static string MaskPhone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        var digits = phone.TrimStart('+');
        var kept = Math.Min(4, digits.Length);
        return "+" + new string('*', digits.Length - kept) + digits[^kept..];
    }
}
