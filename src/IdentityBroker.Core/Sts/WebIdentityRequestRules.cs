using System.Text.RegularExpressions;
using IdentityBroker.Errors;
using IdentityBroker.Tokens;

namespace IdentityBroker.Sts;

/// <summary>The constraints of AssumeRoleWithWebIdentityRequest in sts.service-2.json, worded as the AWS front end does.</summary>
public static partial class WebIdentityRequestRules
{
    private const int MinTokenLength = 4;
    private const int MaxTokenLength = 20000;

    public const int DefaultDurationSeconds = 3600;
    private const int MaxPolicyArns = 10;

    /// <summary>The request as its command, once it satisfies the model.</summary>
    /// <param name="claims">
    /// The broker's claims when the in-process minter calls without a token text: the limit on the token's length applies to the
    /// length its signed form would have.
    /// </param>
    public static Result<AssumeRoleWithWebIdentity> Bind(WebIdentityRequest request, BrokerTokenClaims? claims = null) =>
        Validate(request, claims) is { } invalid
            ? invalid
            : new AssumeRoleWithWebIdentity(
                request.RoleArn!, request.RoleSessionName!, request.WebIdentityToken, request.DurationSeconds ?? DefaultDurationSeconds,
                request.Policy, request.PolicyArns ?? []);

    public static AwsError? Validate(WebIdentityRequest request, BrokerTokenClaims? claims = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Required(request.RoleArn, "roleArn") ?? Required(request.RoleSessionName, "roleSessionName") ?? ValidateToken(request.WebIdentityToken, claims)
            ?? Length(request.RoleArn!, "roleArn", 20, 2048) ?? Pattern(request.RoleArn!, "roleArn", ArnPattern(), @"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+")
            ?? Length(request.RoleSessionName!, "roleSessionName", 2, 64) ?? Pattern(request.RoleSessionName!, "roleSessionName", SessionNamePattern(), @"[\w+=,.@-]*")
            ?? (request.WebIdentityToken is { } token ? TokenLength(token.Length) : BrokerTokenLength(claims!))
            ?? (request.ProviderId is { } provider ? Length(provider, "providerId", 4, 2048) : null)
            ?? ValidateDuration(request.DurationSeconds)
            ?? ValidatePolicy(request.Policy)
            ?? ValidatePolicyArns(request.PolicyArns ?? []);
    }

    /// <summary>A caller's request carries the token's text; the in-process minter's carries claims instead, never both.</summary>
    private static AwsError? ValidateToken(string? token, BrokerTokenClaims? claims)
    {
        if (claims is not null && token is not null)
        {
            throw new ArgumentException("A request with the broker's claims carries no token text.", nameof(token));
        }

        return claims is null ? Required(token, "webIdentityToken") : null;
    }

    /// <summary>AWS does not echo the token; it writes the constraint only.</summary>
    private static AwsError? TokenLength(int length) => length switch
    {
        < MinTokenLength => Failure(null, "webIdentityToken", "Member must have length greater than or equal to 4"),
        > MaxTokenLength => Failure(null, "webIdentityToken", "Member must have length less than or equal to 20000"),
        _ => null,
    };

    /// <summary>
    /// The same limits for the token the broker's claims would sign to. Its exact length needs the claims serialized, which
    /// nothing else in process needs; a bound from the values' lengths decides every ordinary token, and only one whose
    /// bound passes the limit (thousands of characters of tags) is serialized to be measured exactly. A compact JWS is never
    /// shorter than its header, so the lower limit holds.
    /// </summary>
    private static AwsError? BrokerTokenLength(BrokerTokenClaims claims) =>
        claims.MaxSignedLength <= MaxTokenLength ? null : TokenLength(claims.SignedLength);

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

    private static AwsError? Length(string value, string name, int min, int max)
    {
        if (value.Length < min)
        {
            return Failure(value, name, $"Member must have length greater than or equal to {min}");
        }

        return value.Length > max ? Failure(value, name, $"Member must have length less than or equal to {max}") : null;
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
