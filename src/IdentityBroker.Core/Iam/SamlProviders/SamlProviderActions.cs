using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Iam.SamlProviders;

/// <summary>
/// The IAM SAML provider actions (IAM 2010-05-08, all signed): CreateSAMLProvider, GetSAMLProvider, UpdateSAMLProvider,
/// ListSAMLProviders, DeleteSAMLProvider. The metadata is parsed and checked on create and update (SamlMetadata); what a
/// pool's SamlProviderARNs and the SAML login validator trust. Assertion encryption is not supported and refused.
/// </summary>
public sealed partial class SamlProviderActions : IQueryActionHandler
{
    // IAM quota SAMLProvidersPerAccount.
    private const int MaxProvidersPerAccount = 100;

    /// <summary>ValidUntil when the metadata has no validUntil (real IAM shows a date a century after creation).</summary>
    private static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(36_524);

    private static readonly string[] ActionNames =
        ["CreateSAMLProvider", "GetSAMLProvider", "UpdateSAMLProvider", "ListSAMLProviders", "DeleteSAMLProvider"];

    private readonly ISamlProviderStore _store;
    private readonly BrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly SamlProviderDirectory? _directory;

    /// <param name="directory">When given, its cache is dropped after every change so logins see it at once.</param>
    public SamlProviderActions(ISamlProviderStore store, IOptions<BrokerOptions> options, TimeProvider time, SamlProviderDirectory? directory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _time = time;
        _directory = directory;
    }

    public string Version => OidcProviderActions.ApiVersion;

    public string XmlNamespace => OidcProviderActions.Namespace;

    public IReadOnlyCollection<string> Actions => ActionNames;

    public bool RequiresSignature(string action) => true;

    /// <summary>
    /// Service Authorization Reference (IAM): the provider actions act on <c>saml-provider/&lt;name&gt;</c> — the ARN the
    /// call names, with the stored provider's tags as <c>aws:ResourceTag/…</c>; CreateSAMLProvider on the ARN its name makes,
    /// with the tags it asks for as <c>aws:RequestTag/…</c>; ListSAMLProviders has no resource type.
    /// </summary>
    public async ValueTask<IReadOnlyList<ResourceContext>> ResourcesAsync(string action, QueryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (action == "ListSAMLProviders")
        {
            return [ResourceContext.Any];
        }

        if (action == "CreateSAMLProvider")
        {
            var tags = IamTags.Unique(IamTags.Read(request, new IamConstraintViolations()));
            return [ResourceContext.Requesting(Arn(_options.AccountId, request.Get("Name") ?? string.Empty), tags)];
        }

        var arn = request.Get("SAMLProviderArn") ?? string.Empty;
        var provider = arn.Length == 0 ? null : await _store.GetSamlProviderAsync(arn, cancellationToken);
        return [ResourceContext.Tagged(arn, provider?.Tags)];
    }

    public async Task<ProtocolResponse> HandleAsync(string action, QueryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = action switch
        {
            "CreateSAMLProvider" => await CreateAsync(request, cancellationToken),
            "GetSAMLProvider" => await GetAsync(request, cancellationToken),
            "UpdateSAMLProvider" => await UpdateAsync(request, cancellationToken),
            "ListSAMLProviders" => await ListAsync(cancellationToken),
            "DeleteSAMLProvider" => await DeleteAsync(request, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "The dispatcher routed an action this handler does not declare."),
        };

        return result.IsSuccess
            ? QueryXml.Success(action, XmlNamespace, request.RequestId, result.Value)
            : QueryXml.Error(result.Error!, XmlNamespace, request.RequestId);
    }

    public static string Arn(string accountId, string name) => $"arn:aws:iam::{accountId}:saml-provider/{name}";

    private async Task<Result<Action<XmlWriter>>> CreateAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var bound = SamlProviderRequests.Create(request);
        if (!bound.IsSuccess)
        {
            return bound.Error!;
        }

        var input = bound.Value;
        var metadata = SamlMetadata.Parse(input.Metadata);
        if (!metadata.IsSuccess)
        {
            return metadata.Error!;
        }

        if ((await _store.ListSamlProvidersAsync(cancellationToken)).Count >= MaxProvidersPerAccount)
        {
            return SamlProviderErrors.ProviderQuota(MaxProvidersPerAccount);
        }

        var now = _time.GetUtcNow();
        var provider = new SamlProvider
        {
            Arn = Arn(_options.AccountId, input.Name),
            Name = input.Name,
            MetadataDocument = input.Metadata,
            Uuid = NewUuid(),
            CreateDate = now,
            ValidUntil = metadata.Value.ValidUntil ?? now + DefaultValidity,
            Tags = input.Tags,
        };
        if (!await _store.TryCreateSamlProviderAsync(provider, cancellationToken))
        {
            return SamlProviderErrors.AlreadyExists(input.Name);
        }

        _directory?.Invalidate();
        return Writer(w =>
        {
            w.WriteElementString("SAMLProviderArn", provider.Arn);
            if (provider.Tags.Count > 0)
            {
                IamTags.Write(w, provider.Tags);
            }
        });
    }

    private async Task<Result<Action<XmlWriter>>> GetAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var found = await FindAsync(SamlProviderRequests.Arn(request), cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var provider = found.Value;
        return Writer(w =>
        {
            w.WriteElementString("SAMLProviderUUID", provider.Uuid);
            w.WriteElementString("SAMLMetadataDocument", provider.MetadataDocument);
            QueryXml.WriteTimestamp(w, "CreateDate", provider.CreateDate);
            QueryXml.WriteTimestamp(w, "ValidUntil", provider.ValidUntil);
            IamTags.Write(w, provider.Tags);
        });
    }

    private async Task<Result<Action<XmlWriter>>> UpdateAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var bound = SamlProviderRequests.Update(request);
        if (!bound.IsSuccess)
        {
            return bound.Error!;
        }

        var found = await FindAsync(Result<string>.Ok(bound.Value.Arn), cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        if (bound.Value.Metadata is not { } document)
        {
            return SamlProviderErrors.MetadataRequired();
        }

        var metadata = SamlMetadata.Parse(document);
        if (!metadata.IsSuccess)
        {
            return metadata.Error!;
        }

        var updated = found.Value with
        {
            MetadataDocument = document,
            ValidUntil = metadata.Value.ValidUntil ?? found.Value.CreateDate + DefaultValidity,
        };
        if (!await _store.UpdateSamlProviderAsync(updated, cancellationToken))
        {
            return SamlProviderErrors.NotFound(updated.Arn); // Deleted between the read and the write.
        }

        _directory?.Invalidate();
        return Writer(w => w.WriteElementString("SAMLProviderArn", updated.Arn));
    }

    private async Task<Result<Action<XmlWriter>>> ListAsync(CancellationToken cancellationToken)
    {
        var providers = await _store.ListSamlProvidersAsync(cancellationToken);
        return Writer(w =>
        {
            w.WriteStartElement("SAMLProviderList");
            foreach (var provider in providers.OrderBy(p => p.Arn, StringComparer.Ordinal))
            {
                w.WriteStartElement("member");
                w.WriteElementString("Arn", provider.Arn);
                QueryXml.WriteTimestamp(w, "ValidUntil", provider.ValidUntil);
                QueryXml.WriteTimestamp(w, "CreateDate", provider.CreateDate);
                w.WriteEndElement();
            }

            w.WriteEndElement();
        });
    }

    private async Task<Result<Action<XmlWriter>>> DeleteAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var bound = SamlProviderRequests.Arn(request);
        if (!bound.IsSuccess)
        {
            return bound.Error!;
        }

        if (!IsProviderArn(bound.Value))
        {
            return SamlProviderErrors.InvalidArn(bound.Value);
        }

        if (!await _store.DeleteSamlProviderAsync(bound.Value, cancellationToken))
        {
            return SamlProviderErrors.NotFound(bound.Value);
        }

        _directory?.Invalidate();
        return Writer(_ => { });
    }

    private async Task<Result<SamlProvider>> FindAsync(Result<string> bound, CancellationToken cancellationToken)
    {
        if (!bound.IsSuccess)
        {
            return bound.Error!;
        }

        if (!IsProviderArn(bound.Value))
        {
            return SamlProviderErrors.InvalidArn(bound.Value);
        }

        var provider = await _store.GetSamlProviderAsync(bound.Value, cancellationToken);
        return provider is null ? SamlProviderErrors.NotFound(bound.Value) : provider;
    }

    /// <summary>SAMLProviderUUID: privateKeyIdType, <c>[A-Z0-9]+</c> of 22–64 characters.</summary>
    private static string NewUuid() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static bool IsProviderArn(string arn) => ProviderArnPattern().IsMatch(arn);

    private static Result<Action<XmlWriter>> Writer(Action<XmlWriter> write) => Result<Action<XmlWriter>>.Ok(write);

    /// <summary>Tags sorted by key, as GetSAMLProvider documents.</summary>
    [GeneratedRegex(@"^arn:aws:iam::\d{12}:saml-provider/[A-Za-z0-9_.\-]{1,128}$")]
    private static partial Regex ProviderArnPattern();
}
