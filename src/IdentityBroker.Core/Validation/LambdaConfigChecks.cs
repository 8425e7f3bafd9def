using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

/// <summary>LambdaConfigType of CreateUserPool and UpdateUserPool: each ARN against ArnType, each version against its enum.</summary>
internal static class LambdaConfigChecks
{
    public static readonly EnumShape PreTokenGenerationLambdaVersionType = new("V1_0", "V2_0", "V3_0");

    public static readonly EnumShape CustomSenderLambdaVersionType = new("V1_0");

    public static void Check<T>(ValidationContext<T> context, LambdaConfigShape? config)
    {
        if (config is null)
        {
            return;
        }

        const string P = "lambdaConfig.";
        Arn(context, P + "preSignUp", config.PreSignUp);
        Arn(context, P + "customMessage", config.CustomMessage);
        Arn(context, P + "postConfirmation", config.PostConfirmation);
        Arn(context, P + "preAuthentication", config.PreAuthentication);
        Arn(context, P + "postAuthentication", config.PostAuthentication);
        Arn(context, P + "defineAuthChallenge", config.DefineAuthChallenge);
        Arn(context, P + "createAuthChallenge", config.CreateAuthChallenge);
        Arn(context, P + "verifyAuthChallengeResponse", config.VerifyAuthChallengeResponse);
        Arn(context, P + "preTokenGeneration", config.PreTokenGeneration);
        Arn(context, P + "userMigration", config.UserMigration);
        Arn(context, P + "kMSKeyID", config.KMSKeyID);
        Versioned(context, P + "preTokenGenerationConfig", config.PreTokenGenerationConfig, PreTokenGenerationLambdaVersionType);
        Versioned(context, P + "customSMSSender", config.CustomSMSSender, CustomSenderLambdaVersionType);
        Versioned(context, P + "customEmailSender", config.CustomEmailSender, CustomSenderLambdaVersionType);
        if (config.PreTokenGeneration is { } arn && config.PreTokenGenerationConfig?.LambdaArn is { } configured && arn != configured)
        {
            // Both members name the one pre token generation function; two different ones cannot both be it.
            ModelChecks.Fail(context, P + "preTokenGeneration",
                "The PreTokenGeneration ARN must match the LambdaArn of PreTokenGenerationConfig.");
        }

        if ((config.CustomSMSSender is not null || config.CustomEmailSender is not null) && config.KMSKeyID is null)
        {
            // Cognito encrypts the custom senders' codes with this key and refuses the senders without it.
            ModelChecks.Fail(context, P + "kMSKeyID", "KMSKeyID is required when a custom sender is configured.");
        }
    }

    private static void Arn<T>(ValidationContext<T> context, string path, string? value) =>
        ModelChecks.String(context, path, value, UserPoolGroupShapes.ArnType, required: false);

    private static void Versioned<T>(ValidationContext<T> context, string path, VersionedLambdaShape? shape, EnumShape versions)
    {
        if (shape is null)
        {
            return;
        }

        ModelChecks.String(context, path + ".lambdaArn", shape.LambdaArn, UserPoolGroupShapes.ArnType, required: true);
        ModelChecks.Enum(context, path + ".lambdaVersion", shape.LambdaVersion, versions, required: true);
    }
}
