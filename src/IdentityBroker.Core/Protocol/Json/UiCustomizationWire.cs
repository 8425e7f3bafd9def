using System.Text.Json.Serialization;
using FluentValidation;
using IdentityBroker.Identities;
using IdentityBroker.UserPools.HostedUi;
using IdentityBroker.Validation;

namespace IdentityBroker.Protocol.Json;

// SetUICustomization and GetUICustomization (cognito-idp 2016-04-18): the requests, the UICustomizationType reply, and
// their rows in UserPoolsOperations, signed and authorized on the pool's ARN.

public sealed class SetUiCustomizationRequest : IModelRequest<SetUiCustomizationRequest>
{
    public static IValidator<SetUiCustomizationRequest> Validator { get; } = new SetUiCustomizationRequestValidator();

    public string? UserPoolId { get; set; }

    public string? ClientId { get; set; }

    [JsonPropertyName("CSS")]
    public string? Css { get; set; }

    /// <summary>A blob: base64 on the wire.</summary>
    public byte[]? ImageFile { get; set; }
}

public sealed class GetUiCustomizationRequest : IModelRequest<GetUiCustomizationRequest>
{
    public static IValidator<GetUiCustomizationRequest> Validator { get; } = new GetUiCustomizationRequestValidator();

    public string? UserPoolId { get; set; }

    public string? ClientId { get; set; }
}

public sealed class UiCustomizationShape
{
    public string? UserPoolId { get; set; }

    public string? ClientId { get; set; }

    public string? ImageUrl { get; set; }

    [JsonPropertyName("CSS")]
    public string? Css { get; set; }

    [JsonPropertyName("CSSVersion")]
    public string? CssVersion { get; set; }

    public double? LastModifiedDate { get; set; }

    public double? CreationDate { get; set; }
}

/// <summary>SetUICustomization's and GetUICustomization's output.</summary>
public sealed class UiCustomizationResponse
{
    [JsonPropertyName("UICustomization")]
    public UiCustomizationShape? UiCustomization { get; set; }
}

internal sealed class SetUiCustomizationRequestValidator : AbstractValidator<SetUiCustomizationRequest>
{
    private static readonly StringShape CssType = new(0, UiCustomizationOperations.MaxSize);

    public SetUiCustomizationRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.ClientId).ModelString("clientId", UserPoolShapes.ClientIdType);
        RuleFor(r => r.Css).ModelString("cSS", CssType);
        RuleFor(r => r.ImageFile).Custom((image, context) =>
        {
            if (image is { Length: > UiCustomizationOperations.MaxSize })
            {
                ModelChecks.Fail(context, "imageFile", Echo.Hidden("imageFile", $"Member must have length less than or equal to {UiCustomizationOperations.MaxSize}"));
            }
        });
    }
}

internal sealed class GetUiCustomizationRequestValidator : AbstractValidator<GetUiCustomizationRequest>
{
    public GetUiCustomizationRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.ClientId).ModelString("clientId", UserPoolShapes.ClientIdType);
    }
}

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 32)]
[JsonSerializable(typeof(SetUiCustomizationRequest))]
[JsonSerializable(typeof(GetUiCustomizationRequest))]
[JsonSerializable(typeof(UiCustomizationResponse))]
internal sealed partial class UiCustomizationJsonContext : JsonSerializerContext;

/// <summary>The rows of SetUICustomization and GetUICustomization.</summary>
public sealed class UiCustomizationWire(UiCustomizationOperations operations, UserPoolResources resources, UserPools.Tokens.UserPoolIssuer issuer)
{
    /// <summary>The broker-wide path of a pool's logo, under the pool's issuer (<c>&lt;Broker:Issuer&gt;/&lt;userPoolId&gt;</c>).</summary>
    public const string IssuerLogoPath = "/logo";

    /// <summary>The path on the pool's domain that serves the logo of <paramref name="customization"/> (HostedUi/HostedUiEndpoints).</summary>
    public static string LogoPath(UiCustomization customization)
    {
        ArgumentNullException.ThrowIfNull(customization);
        return $"/logo?client_id={Uri.EscapeDataString(customization.ClientId)}&v={customization.CssVersion}";
    }

    internal IEnumerable<CognitoOperation> Operations(JsonOperationTable t)
    {
        var c = UiCustomizationJsonContext.Default;
        var r = resources;
        yield return t.Signed("SetUICustomization", c.SetUiCustomizationRequest, q => new SetUiCustomization(q.UserPoolId!, q.ClientId, q.Css, q.ImageFile),
            operations.SetAsync, Shape, c.UiCustomizationResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("GetUICustomization", c.GetUiCustomizationRequest, q => new GetUiCustomization(q.UserPoolId!, q.ClientId),
            operations.GetAsync, Shape, c.UiCustomizationResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
    }

    /// <summary>
    /// GetUICustomization's ImageUrl: an absolute URL, as Cognito's (a CloudFront URL) is, that a browser loads from the
    /// broker whether or not the pool has a domain: the pool's issuer URL, <c>/logo</c>, the client and the version.
    /// </summary>
    public string LogoUrl(UiCustomization customization)
    {
        ArgumentNullException.ThrowIfNull(customization);
        return issuer.IssuerOf(customization.UserPoolId) + IssuerLogoPath
            + $"?client_id={Uri.EscapeDataString(customization.ClientId)}&v={customization.CssVersion}";
    }

    private UiCustomizationResponse Shape(UiCustomization customization) => new()
    {
        UiCustomization = new()
        {
            UserPoolId = customization.UserPoolId,
            ClientId = customization.ClientId,
            Css = customization.Css,
            CssVersion = customization.Css is null && customization.Logo is null ? null : customization.CssVersion,
            ImageUrl = customization.Logo is null ? null : LogoUrl(customization),
            CreationDate = customization.CreationDate == default ? null : IdentityIds.EpochSeconds(customization.CreationDate),
            LastModifiedDate = customization.LastModifiedDate == default ? null : IdentityIds.EpochSeconds(customization.LastModifiedDate),
        },
    };
}
