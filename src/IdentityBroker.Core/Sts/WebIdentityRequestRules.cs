using System.Text.RegularExpressions;
using IdentityBroker.Errors;

namespace IdentityBroker.Sts;

/// <summary>The constraints of AssumeRoleWithWebIdentityRequest in sts.service-2.json, worded as the AWS front end does.</summary>
public static partial class WebIdentityRequestRules
{
    public const int DefaultDurationSeconds = 3600;
    private const int MaxPolicyArns = 10;

    /// <summary>The request as its command, once it satisfies the model.</summary>
    public static Result<AssumeRoleWithWebIdentity> Bind(WebIdentityRequest request) =>
        Validate(request) is { } invalid
            ? invalid
            : new AssumeRoleWithWebIdentity(
                request.RoleArn!, request.RoleSessionName!, request.WebIdentityToken!, request.DurationSeconds ?? DefaultDurationSeconds,
                request.Policy, request.PolicyArns ?? []);

    public static AwsError? Validate(WebIdentityRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Required(request.RoleArn, "roleArn") ?? Required(request.RoleSessionName, "roleSessionName") ?? Required(request.WebIdentityToken, "webIdentityToken")
            ?? Length(request.RoleArn!, "roleArn", 20, 2048) ?? Pattern(request.RoleArn!, "roleArn", ArnPattern(), @"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+")
            ?? Length(request.RoleSessionName!, "roleSessionName", 2, 64) ?? Pattern(request.RoleSessionName!, "roleSessionName", SessionNamePattern(), @"[\w+=,.@-]*")
            ?? Length(request.WebIdentityToken!, "webIdentityToken", 4, 20000, echo: false)
            ?? (request.ProviderId is { } provider ? Length(provider, "providerId", 4, 2048) : null)
            ?? ValidateDuration(request.DurationSeconds)
            ?? ValidatePolicy(request.Policy)
            ?? ValidatePolicyArns(request.PolicyArns ?? []);
    }

    private static AwsError? ValidateDuration(int? seconds) => seconds switch
    {
        null => null,
        < 900 => Failure(seconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "durationSeconds", "Member must have value greater than or equal to 900"),
        > 43200 => Failure(seconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "durationSeconds", "Member must have value less than or equal to 43200"),
        _ => null,
    };

    private static AwsError? ValidatePolicy(string? policy) =>
        policy is null ? null : Length(policy, "policy", 1, 2048) ?? Pattern(policy, "policy", PolicyPattern(), @"[\u0009\u000A\u000D\u0020-\u00FF]+");

    private static AwsError? ValidatePolicyArns(IReadOnlyList<string> arns)
    {
        if (arns.Count > MaxPolicyArns)
        {
            return StsErrors.Validation($"1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to {MaxPolicyArns}");
        }

        foreach (var arn in arns)
        {
            if (Length(arn, "policyArns.member.arn", 20, 2048) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static AwsError? Required(string? value, string name) =>
        value is null ? StsErrors.Validation($"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null") : null;

    private static AwsError? Length(string value, string name, int min, int max, bool echo = true)
    {
        if (value.Length < min)
        {
            return Failure(echo ? value : null, name, $"Member must have length greater than or equal to {min}");
        }

        return value.Length > max ? Failure(echo ? value : null, name, $"Member must have length less than or equal to {max}") : null;
    }

    private static AwsError? Pattern(string value, string name, Regex regex, string pattern) =>
        regex.IsMatch(value) ? null : Failure(value, name, $"Member must satisfy regular expression pattern: {pattern}");

    /// <summary>AWS does not echo sensitive values (the token); it writes the constraint only.</summary>
    private static AwsError Failure(string? value, string name, string constraint) => StsErrors.Validation(value is null
        ? $"1 validation error detected: Value at '{name}' failed to satisfy constraint: {constraint}"
        : $"1 validation error detected: Value '{value}' at '{name}' failed to satisfy constraint: {constraint}");

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]*\z")]
    private static partial Regex SessionNamePattern();

    [GeneratedRegex(@"^[\u0009\u000A\u000D\u0020-\u00FF]+\z")]
    private static partial Regex PolicyPattern();

    [GeneratedRegex(@"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F]+\z")]
    private static partial Regex ArnPattern();
}
