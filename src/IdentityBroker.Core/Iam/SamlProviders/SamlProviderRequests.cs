using System.Text.RegularExpressions;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Protocol.Query;

namespace IdentityBroker.Iam.SamlProviders;

/// <param name="ValidUntil">The metadata's validUntil, if it has one.</param>
internal sealed record CreateSamlProviderRequest(string Name, string Metadata, DateTimeOffset? ValidUntil, IReadOnlyDictionary<string, string> Tags);

internal sealed record UpdateSamlProviderRequest(string Arn, string? Metadata);

/// <summary>
/// Binds and checks the Query parameters of the SAML-provider actions against iam.service-2.json: SAMLProviderNameType
/// 1–128 <c>[\w._-]+</c>, SAMLMetadataDocumentType 1,000–10,000,000, arnType 20–2048, tagListType ≤ 50 with IAM's tag
/// key (1–128) and value (0–256) patterns; the metadata of a new provider is parsed and checked (SamlMetadata).
/// </summary>
internal static partial class SamlProviderRequests
{
    private const string NamePatternText = @"[\w._-]+";

    public static Result<CreateSamlProviderRequest> Create(QueryRequest request)
    {
        var violations = new IamConstraintViolations();
        var name = request.Get("Name");
        violations.NotNull("name", name);
        violations.Length("name", name, 1, 128);
        violations.Pattern("name", name, NamePattern(), NamePatternText);
        var metadata = ReadMetadata(request, violations, required: true);
        var tags = IamTags.Read(request, violations);
        if (violations.ToError() is { } error)
        {
            return error;
        }

        if (UsesEncryption(request))
        {
            return SamlProviderErrors.EncryptionNotSupported();
        }

        var unique = IamTags.Unique(tags);
        if (unique is null)
        {
            return SamlProviderErrors.DuplicateTagKeys();
        }

        var parsed = SamlMetadata.Parse(metadata!);
        return parsed.IsSuccess ? new CreateSamlProviderRequest(name!, metadata!, parsed.Value.ValidUntil, unique) : parsed.Error!;
    }

    public static Result<UpdateSamlProviderRequest> Update(QueryRequest request)
    {
        var violations = new IamConstraintViolations();
        var arn = ReadArn(request, violations);
        var metadata = ReadMetadata(request, violations, required: false);
        if (violations.ToError() is { } error)
        {
            return error;
        }

        return UsesEncryption(request) ? SamlProviderErrors.EncryptionNotSupported() : new UpdateSamlProviderRequest(arn!, metadata);
    }

    public static Result<string> Arn(QueryRequest request)
    {
        var violations = new IamConstraintViolations();
        var arn = ReadArn(request, violations);
        return violations.ToError() is { } error ? error : arn!;
    }

    private static string? ReadArn(QueryRequest request, IamConstraintViolations violations)
    {
        var arn = request.Get("SAMLProviderArn");
        violations.NotNull("sAMLProviderArn", arn);
        violations.Length("sAMLProviderArn", arn, 20, 2048);
        return arn;
    }

    private static string? ReadMetadata(QueryRequest request, IamConstraintViolations violations, bool required)
    {
        var metadata = request.Get("SAMLMetadataDocument");
        if (required)
        {
            violations.NotNull("sAMLMetadataDocument", metadata);
        }

        // The value is never echoed: the constraint text names only the bound.
        violations.Length("sAMLMetadataDocument", metadata, 1000, 10_000_000);
        return metadata;
    }

    private static bool UsesEncryption(QueryRequest request) =>
        request.Get("AssertionEncryptionMode") is not null || request.Get("AddPrivateKey") is not null || request.Get("RemovePrivateKey") is not null;

    // Java's \w (the model's regex dialect) is ASCII only.
    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$")]
    private static partial Regex NamePattern();
}
