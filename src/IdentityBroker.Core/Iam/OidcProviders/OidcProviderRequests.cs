using System.Text.RegularExpressions;
using IdentityBroker.Errors;
using IdentityBroker.Protocol.Query;

namespace IdentityBroker.Iam.OidcProviders;

internal sealed record CreateProviderRequest(string Url, IReadOnlyList<string> ClientIds, IReadOnlyList<string> Thumbprints, IReadOnlyDictionary<string, string> Tags);

internal sealed record ClientIdRequest(string Arn, string ClientId);

internal sealed record ThumbprintRequest(string Arn, IReadOnlyList<string> Thumbprints);

/// <summary>
/// Binds and checks the Query parameters of the OIDC-provider actions against iam.service-2.json (and the provider URL
/// against the broker's scheme rule): arnType 20–2048,
/// OpenIDConnectProviderUrlType 1–255, clientIDType 1–255, thumbprintType exactly 40, tagListType ≤ 50, tag key 1–128
/// and value 0–256 with IAM's tag pattern.
/// </summary>
internal static partial class OidcProviderRequests
{
    public const int MaxThumbprints = 5;

    public static Result<CreateProviderRequest> Create(QueryRequest request)
    {
        var violations = new IamConstraintViolations();
        var url = request.Get("Url");
        violations.NotNull("url", url);
        violations.Length("url", url, 1, 255);
        var clientIds = request.GetList("ClientIDList");
        violations.MemberLengths("clientIDList", clientIds, 1, 255);
        var thumbprints = request.GetList("ThumbprintList");
        violations.MemberLengths("thumbprintList", thumbprints, 40, 40);
        var tags = IamTags.Read(request, violations);
        if (violations.ToError() is { } error)
        {
            return error;
        }

        if (thumbprints.Count > MaxThumbprints)
        {
            return OidcProviderErrors.TooManyThumbprints();
        }

        var uniqueTags = IamTags.Unique(tags);
        if (uniqueTags is null)
        {
            return OidcProviderErrors.DuplicateTagKeys();
        }

        // The URL's form (https, or http for loopback hosts) is checked after the model constraints, as IAM does.
        var parsed = OidcProviderUrl.Parse(url!);
        return parsed.IsSuccess
            ? new CreateProviderRequest(url!, clientIds.Distinct(StringComparer.Ordinal).ToList(), thumbprints, uniqueTags)
            : parsed.Error!;
    }

    public static Result<string> Arn(QueryRequest request)
    {
        var violations = new IamConstraintViolations();
        var arn = ReadArn(request, violations);
        return violations.ToError() is { } error ? error : arn!;
    }

    public static Result<ClientIdRequest> ClientId(QueryRequest request)
    {
        var violations = new IamConstraintViolations();
        var arn = ReadArn(request, violations);
        var clientId = request.Get("ClientID");
        violations.NotNull("clientID", clientId);
        violations.Length("clientID", clientId, 1, 255);
        return violations.ToError() is { } error ? error : new ClientIdRequest(arn!, clientId!);
    }

    public static Result<ThumbprintRequest> Thumbprints(QueryRequest request)
    {
        var violations = new IamConstraintViolations();
        var arn = ReadArn(request, violations);
        var thumbprints = request.GetList("ThumbprintList");

        // An empty Query list is sent as "ThumbprintList=" (present, no members); only a missing one is null.
        var present = thumbprints.Count > 0 || request.Parameters.ContainsKey("ThumbprintList");
        violations.NotNull("thumbprintList", present ? thumbprints : null);
        violations.MemberLengths("thumbprintList", thumbprints, 40, 40);
        if (violations.ToError() is { } error)
        {
            return error;
        }

        return thumbprints.Count > MaxThumbprints ? OidcProviderErrors.TooManyThumbprints() : new ThumbprintRequest(arn!, thumbprints);
    }

    private static string? ReadArn(QueryRequest request, IamConstraintViolations violations)
    {
        var arn = request.Get("OpenIDConnectProviderArn");
        violations.NotNull("openIDConnectProviderArn", arn);
        violations.Length("openIDConnectProviderArn", arn, 20, 2048);
        return arn;
    }
}
