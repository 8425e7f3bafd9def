using IdentityBroker.UserPools.Codes;
using IdentityBroker.UserPools.Messages;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Messages;

/// <summary>The user-pool message delivery and one-time codes, with their options validated at start-up.</summary>
internal static class MessageDeliveryRegistration
{
    public static IServiceCollection AddUserPoolMessages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<MessageDeliveryOptions>, MessageDeliveryOptionsValidator>();
        services.AddOptions<MessageDeliveryOptions>().Bind(configuration.GetSection(BrokerOptions.SectionName)).ValidateOnStart();
        services.AddHttpClient(SmsWebhookSender.HttpClientName).RemoveAllLoggers();
        services.AddSingleton<DevOutbox>();
        services.AddSingleton<IUserPoolMessageSender, UserPoolMessageRouter>();
        services.AddSingleton<OneTimeCodes>();
        services.AddSingleton<CodeDelivery>();
        return services;
    }
}
