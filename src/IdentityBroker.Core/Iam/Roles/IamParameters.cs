using System.Globalization;
using System.Text.RegularExpressions;
using IdentityBroker.Errors;
using IdentityBroker.Protocol.Query;

namespace IdentityBroker.Iam.Roles;

/// <summary>
/// Reads Query parameters with the constraints of iam.service-2.json and the AWS front end's wording
/// (<c>1 validation error detected: Value '…' at 'roleName' failed to satisfy constraint: …</c>).
/// </summary>
internal static partial class IamParameters
{
    public static Result<string> RoleName(QueryRequest request) =>
        Required(request, "RoleName", 1, 64, NamePattern(), @"[\w+=,.@-]+");

    public static Result<string> PolicyName(QueryRequest request) =>
        Required(request, "PolicyName", 1, 128, NamePattern(), @"[\w+=,.@-]+");

    public static Result<string> PolicyDocument(QueryRequest request, string name) =>
        Required(request, name, 1, 131072, DocumentPattern(), @"[\u0009\u000A\u000D\u0020-\u00FF]+");

    public static Result<string?> Path(QueryRequest request) =>
        Optional(request, "Path", 1, 512, PathPattern(), @"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)");

    public static Result<string?> PathPrefix(QueryRequest request) =>
        Optional(request, "PathPrefix", 1, 512, PathPrefixPattern(), @"\u002F[\u0021-\u007F]*");

    public static Result<string?> Description(QueryRequest request) =>
        Optional(request, "Description", 0, 1000, DescriptionPattern(), @"[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*");

    public static Result<string?> Marker(QueryRequest request) =>
        Optional(request, "Marker", 1, 320, MarkerPattern(), @"[\u0020-\u00FF]+");

    public static Result<int?> MaxSessionDuration(QueryRequest request) => Integer(request, "MaxSessionDuration", 3600, 43200);

    public static Result<int?> MaxItems(QueryRequest request) => Integer(request, "MaxItems", 1, 1000);

    private static Result<string> Required(QueryRequest request, string name, int min, int max, Regex pattern, string patternText)
    {
        var value = request.Get(name);
        if (value is null)
        {
            return IamErrors.Validation($"1 validation error detected: Value null at '{Field(name)}' failed to satisfy constraint: Member must not be null");
        }

        return Check(value, name, min, max, pattern, patternText) is { } error ? error : value;
    }

    private static Result<string?> Optional(QueryRequest request, string name, int min, int max, Regex pattern, string patternText)
    {
        var value = request.Get(name);
        if (value is null)
        {
            return Result<string?>.Ok(null);
        }

        return Check(value, name, min, max, pattern, patternText) is { } error ? error : value;
    }

    private static Result<int?> Integer(QueryRequest request, string name, int min, int max)
    {
        var text = request.Get(name);
        if (text is null)
        {
            return Result<int?>.Ok(null);
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return Failure(text, name, "Member must be a number");
        }

        if (value < min)
        {
            return Failure(text, name, $"Member must have value greater than or equal to {min}");
        }

        return value > max ? Failure(text, name, $"Member must have value less than or equal to {max}") : value;
    }

    private static AwsError? Check(string value, string name, int min, int max, Regex pattern, string patternText)
    {
        if (value.Length < min)
        {
            return Failure(value, name, $"Member must have length greater than or equal to {min}");
        }

        if (value.Length > max)
        {
            return Failure(value, name, $"Member must have length less than or equal to {max}");
        }

        return pattern.IsMatch(value) ? null : Failure(value, name, $"Member must satisfy regular expression pattern: {patternText}");
    }

    private static AwsError Failure(string value, string name, string constraint) =>
        IamErrors.Validation($"1 validation error detected: Value '{value}' at '{Field(name)}' failed to satisfy constraint: {constraint}");

    /// <summary>The front end names members in camel case (RoleName → roleName).</summary>
    private static string Field(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    // Java's \w (the model's dialect) is ASCII-only, unlike .NET's, hence the explicit class.
    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]+\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[\u0009\u000A\u000D\u0020-\u00FF]+\z")]
    private static partial Regex DocumentPattern();

    [GeneratedRegex(@"^(/|/[\u0021-\u007E]+/)\z")]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^/[\u0021-\u007F]*\z")]
    private static partial Regex PathPrefixPattern();

    [GeneratedRegex(@"^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*\z")]
    private static partial Regex DescriptionPattern();

    [GeneratedRegex(@"^[\u0020-\u00FF]+\z")]
    private static partial Regex MarkerPattern();
}
