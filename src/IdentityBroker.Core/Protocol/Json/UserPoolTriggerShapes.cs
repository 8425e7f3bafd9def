using IdentityBroker.UserPools.Triggers;

namespace IdentityBroker.Protocol.Json;

/// <summary>LambdaConfigType.</summary>
public sealed class LambdaConfigShape
{
    public string? PreSignUp { get; set; }

    public string? CustomMessage { get; set; }

    public string? PostConfirmation { get; set; }

    public string? PreAuthentication { get; set; }

    public string? PostAuthentication { get; set; }

    public string? DefineAuthChallenge { get; set; }

    public string? CreateAuthChallenge { get; set; }

    public string? VerifyAuthChallengeResponse { get; set; }

    public string? PreTokenGeneration { get; set; }

    public string? UserMigration { get; set; }

    public VersionedLambdaShape? PreTokenGenerationConfig { get; set; }

    public VersionedLambdaShape? CustomSMSSender { get; set; }

    public VersionedLambdaShape? CustomEmailSender { get; set; }

    public string? KMSKeyID { get; set; }

    /// <summary>The pool's triggers; null when the shape names no function.</summary>
    public LambdaConfig? ToConfig()
    {
        var config = new LambdaConfig
        {
            PreSignUp = PreSignUp,
            CustomMessage = CustomMessage,
            PostConfirmation = PostConfirmation,
            PreAuthentication = PreAuthentication,
            PostAuthentication = PostAuthentication,
            DefineAuthChallenge = DefineAuthChallenge,
            CreateAuthChallenge = CreateAuthChallenge,
            VerifyAuthChallengeResponse = VerifyAuthChallengeResponse,
            // Cognito keeps the two members of the pre token generation trigger in step: either names the function.
            PreTokenGeneration = PreTokenGeneration ?? PreTokenGenerationConfig?.LambdaArn,
            UserMigration = UserMigration,
            PreTokenGenerationConfig = Versioned(PreTokenGenerationConfig),
            CustomSmsSender = Versioned(CustomSMSSender),
            CustomEmailSender = Versioned(CustomEmailSender),
            KmsKeyId = KMSKeyID,
        };
        return config == new LambdaConfig() ? null : config;
    }

    /// <summary>DescribeUserPool's LambdaConfig: an empty object for a pool without triggers, as Cognito answers.</summary>
    public static LambdaConfigShape Of(LambdaConfig? config)
    {
        var c = config ?? new LambdaConfig();
        return new()
        {
            PreSignUp = c.PreSignUp,
            CustomMessage = c.CustomMessage,
            PostConfirmation = c.PostConfirmation,
            PreAuthentication = c.PreAuthentication,
            PostAuthentication = c.PostAuthentication,
            DefineAuthChallenge = c.DefineAuthChallenge,
            CreateAuthChallenge = c.CreateAuthChallenge,
            VerifyAuthChallengeResponse = c.VerifyAuthChallengeResponse,
            PreTokenGeneration = c.TokenGeneration?.LambdaArn,
            UserMigration = c.UserMigration,
            PreTokenGenerationConfig = Shape(c.TokenGeneration),
            CustomSMSSender = Shape(c.CustomSmsSender),
            CustomEmailSender = Shape(c.CustomEmailSender),
            KMSKeyID = c.KmsKeyId,
        };
    }

    private static VersionedFunction? Versioned(VersionedLambdaShape? shape) =>
        shape is { LambdaArn: { } arn, LambdaVersion: { } version } ? new VersionedFunction(arn, version) : null;

    private static VersionedLambdaShape? Shape(VersionedFunction? function) =>
        function is null ? null : new() { LambdaArn = function.LambdaArn, LambdaVersion = function.LambdaVersion };
}

/// <summary>PreTokenGenerationVersionConfigType, CustomSMSLambdaVersionConfigType, CustomEmailLambdaVersionConfigType.</summary>
public sealed class VersionedLambdaShape
{
    public string? LambdaVersion { get; set; }

    public string? LambdaArn { get; set; }
}
