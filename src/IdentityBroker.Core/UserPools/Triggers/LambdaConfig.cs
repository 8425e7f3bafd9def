namespace IdentityBroker.UserPools.Triggers;

/// <summary>
/// The pool's LambdaConfigType: which function each trigger calls. Kept as CreateUserPool/UpdateUserPool gave it (an
/// UpdateUserPool without LambdaConfig removes every trigger, as UpdateUserPool resets what it leaves out).
/// </summary>
public sealed record LambdaConfig
{
    public string? PreSignUp { get; init; }

    public string? CustomMessage { get; init; }

    public string? PostConfirmation { get; init; }

    public string? PreAuthentication { get; init; }

    public string? PostAuthentication { get; init; }

    public string? DefineAuthChallenge { get; init; }

    public string? CreateAuthChallenge { get; init; }

    public string? VerifyAuthChallengeResponse { get; init; }

    /// <summary>The older member; <see cref="PreTokenGenerationConfig"/> names the same function with its event version.</summary>
    public string? PreTokenGeneration { get; init; }

    public string? UserMigration { get; init; }

    public VersionedFunction? PreTokenGenerationConfig { get; init; }

    public VersionedFunction? CustomSmsSender { get; init; }

    public VersionedFunction? CustomEmailSender { get; init; }

    /// <summary>Kept and echoed; the broker has no KMS (docs/user-pools.md, "Triggers": the custom senders).</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>The pre token generation function and its event version: the config's, else the older member's as V1_0.</summary>
    public VersionedFunction? TokenGeneration => PreTokenGenerationConfig
        ?? (PreTokenGeneration is { } arn ? new VersionedFunction(arn, TokenEventVersions.V1) : null);
}

/// <summary>PreTokenGenerationVersionConfigType, CustomSMSLambdaVersionConfigType and CustomEmailLambdaVersionConfigType.</summary>
public sealed record VersionedFunction(string LambdaArn, string LambdaVersion);

/// <summary>PreTokenGenerationLambdaVersionType.</summary>
public static class TokenEventVersions
{
    public const string V1 = "V1_0";
    public const string V2 = "V2_0";
    public const string V3 = "V3_0";
}
