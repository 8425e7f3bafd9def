using IdentityBroker.Errors;

namespace IdentityBroker.Server.Messages;

/// <summary>Cognito's CodeDeliveryFailureException, as the operations that send a message answer it.</summary>
internal static class DeliveryErrors
{
    /// <summary>The service's wording when an email cannot be sent (amazon-cognito-identity-js#307, aws-amplify/amplify-js#1305).</summary>
    public static AwsError Email { get; } = new("CodeDeliveryFailureException", "Invalid email provided/Unable to send the email");

    /// <summary>The broker's wording for SMS, on the model of the email one (no service wording for SMS was found to copy).</summary>
    public static AwsError Sms { get; } = new("CodeDeliveryFailureException", "Invalid phone number provided/Unable to send the SMS");

    /// <summary>What a log line may show of a destination: the email's domain, the phone number's last two digits.</summary>
    public static string Redact(string destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var at = destination.LastIndexOf('@');
        if (at >= 0)
        {
            return "***" + destination[at..];
        }

        return destination.Length > 2 ? "***" + destination[^2..] : "***";
    }
}
