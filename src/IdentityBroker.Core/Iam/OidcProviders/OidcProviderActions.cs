using System.Text.RegularExpressions;
using System.Xml;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Iam.OidcProviders;

/// <summary>
/// The IAM OpenID Connect provider actions (IAM 2010-05-08, all signed): what a pool's OpenIdConnectProviderARNs and the
/// embedded STS trust. Replies and errors follow iam.service-2.json and real IAM.
/// </summary>
public sealed partial class OidcProviderActions : IQueryActionHandler
{
    public const string ApiVersion = "2010-05-08";
    public const string Namespace = "https://iam.amazonaws.com/doc/2010-05-08/";

    // IAM quotas: ClientIdsPerOpenIdConnectProvider 100, OpenIdConnectProvidersPerAccount 100.
    private const int MaxClientIds = 100;
    private const int MaxProvidersPerAccount = 100;

    private static readonly string[] ActionNames =
    [
        "CreateOpenIDConnectProvider", "GetOpenIDConnectProvider", "ListOpenIDConnectProviders", "DeleteOpenIDConnectProvider",
        "UpdateOpenIDConnectProviderThumbprint", "AddClientIDToOpenIDConnectProvider", "RemoveClientIDFromOpenIDConnectProvider",
    ];

    private readonly IIamStore _store;
    private readonly BrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly OidcProviderDirectory? _directory;

    /// <param name="directory">When given, its cache is dropped after every change so validators see it at once.</param>
    public OidcProviderActions(IIamStore store, IOptions<BrokerOptions> options, TimeProvider time, OidcProviderDirectory? directory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _time = time;
        _directory = directory;
    }

    public string Version => ApiVersion;

    public string XmlNamespace => Namespace;

    public IReadOnlyCollection<string> Actions => ActionNames;

    public bool RequiresSignature(string action) => true;

    /// <summary>
    /// Service Authorization Reference (IAM): the provider actions act on <c>oidc-provider/&lt;host/path&gt;</c> — the ARN
    /// the call names, with the stored provider's tags as <c>aws:ResourceTag/…</c>; CreateOpenIDConnectProvider on the ARN
    /// its URL makes, with the tags it asks for as <c>aws:RequestTag/…</c>; ListOpenIDConnectProviders has no resource type.
    /// </summary>
    public async ValueTask<IReadOnlyList<ResourceContext>> ResourcesAsync(string action, QueryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (action == "ListOpenIDConnectProviders")
        {
            return [ResourceContext.Any];
        }

        if (action == "CreateOpenIDConnectProvider")
        {
            var tags = IamTags.Unique(IamTags.Read(request, new IamConstraintViolations()));
            return [ResourceContext.Requesting(OidcProviderUrl.Arn(_options.AccountId, request.Get("Url") ?? string.Empty), tags)];
        }

        var arn = request.Get("OpenIDConnectProviderArn") ?? string.Empty;
        var provider = arn.Length == 0 ? null : await _store.GetOidcProviderAsync(arn, cancellationToken);
        return [ResourceContext.Tagged(arn, provider?.Tags)];
    }

    public async Task<ProtocolResponse> HandleAsync(string action, QueryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = action switch
        {
            "CreateOpenIDConnectProvider" => await CreateAsync(request, cancellationToken),
            "GetOpenIDConnectProvider" => await GetAsync(request, cancellationToken),
            "ListOpenIDConnectProviders" => await ListAsync(cancellationToken),
            "DeleteOpenIDConnectProvider" => await DeleteAsync(request, cancellationToken),
            "UpdateOpenIDConnectProviderThumbprint" => await UpdateThumbprintsAsync(request, cancellationToken),
            "AddClientIDToOpenIDConnectProvider" => await AddClientIdAsync(request, cancellationToken),
            "RemoveClientIDFromOpenIDConnectProvider" => await RemoveClientIdAsync(request, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "The dispatcher routed an action this handler does not declare."),
        };

        return result.IsSuccess
            ? QueryXml.Success(action, Namespace, request.RequestId, result.Value)
            : QueryXml.Error(result.Error!, Namespace, request.RequestId);
    }

    private async Task<Result<Action<XmlWriter>>> CreateAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var bound = OidcProviderRequests.Create(request);
        if (!bound.IsSuccess)
        {
            return bound.Error!;
        }

        var input = bound.Value;
        var url = OidcProviderUrl.Parse(input.Url);
        if (!url.IsSuccess)
        {
            return url.Error!;
        }

        if (input.ClientIds.Count > MaxClientIds)
        {
            return OidcProviderErrors.ClientIdQuota(MaxClientIds);
        }

        if ((await _store.ListOidcProvidersAsync(cancellationToken)).Count >= MaxProvidersPerAccount)
        {
            return OidcProviderErrors.ProviderQuota(MaxProvidersPerAccount);
        }

        var provider = new OidcProvider
        {
            Arn = OidcProviderUrl.Arn(_options.AccountId, input.Url),
            Url = input.Url,
            ClientIds = input.ClientIds,
            Thumbprints = input.Thumbprints,
            Tags = input.Tags,
            CreateDate = _time.GetUtcNow(),
        };
        if (!await _store.TryCreateOidcProviderAsync(provider, cancellationToken))
        {
            return OidcProviderErrors.AlreadyExists(input.Url);
        }

        _directory?.Invalidate();
        return Writer(w =>
        {
            w.WriteElementString("OpenIDConnectProviderArn", provider.Arn);
            if (provider.Tags.Count > 0)
            {
                IamTags.Write(w, provider.Tags);
            }
        });
    }

    private async Task<Result<Action<XmlWriter>>> GetAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var found = await FindAsync(OidcProviderRequests.Arn(request), r => r.Arn, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var provider = found.Value.Provider;
        return Writer(w =>
        {
            WriteMembers(w, "ThumbprintList", provider.Thumbprints);
            QueryXml.WriteTimestamp(w, "CreateDate", provider.CreateDate);
            WriteMembers(w, "ClientIDList", provider.ClientIds);
            IamTags.Write(w, provider.Tags);

            // Real IAM answers with the URL without its scheme ("server.example.com"), not what was registered.
            w.WriteElementString("Url", OidcProviderUrls.WithoutScheme(provider.Url));
        });
    }

    private async Task<Result<Action<XmlWriter>>> ListAsync(CancellationToken cancellationToken)
    {
        var providers = await _store.ListOidcProvidersAsync(cancellationToken);
        return Writer(w =>
        {
            w.WriteStartElement("OpenIDConnectProviderList");
            foreach (var provider in providers.OrderBy(p => p.Arn, StringComparer.Ordinal))
            {
                w.WriteStartElement("member");
                w.WriteElementString("Arn", provider.Arn);
                w.WriteEndElement();
            }

            w.WriteEndElement();
        });
    }

    private async Task<Result<Action<XmlWriter>>> DeleteAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var bound = OidcProviderRequests.Arn(request);
        if (!bound.IsSuccess)
        {
            return bound.Error!;
        }

        var arn = bound.Value.Arn;
        if (!IsProviderArn(arn))
        {
            return OidcProviderErrors.InvalidArn(arn);
        }

        // The API reference calls this idempotent, but real IAM answers a second delete with NoSuchEntity.
        if (!await _store.DeleteOidcProviderAsync(arn, cancellationToken))
        {
            return OidcProviderErrors.NotFoundOnDelete(arn);
        }

        _directory?.Invalidate();
        return Writer(_ => { });
    }

    private async Task<Result<Action<XmlWriter>>> UpdateThumbprintsAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var found = await FindAsync(OidcProviderRequests.Thumbprints(request), r => r.Arn, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        // The new list replaces the old one; the lists are not merged.
        return await SaveAsync(found.Value.Provider with { Thumbprints = found.Value.Input.Thumbprints }, cancellationToken);
    }

    private async Task<Result<Action<XmlWriter>>> AddClientIdAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var found = await FindAsync(OidcProviderRequests.ClientId(request), r => r.Arn, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (input, provider) = found.Value;
        if (provider.ClientIds.Contains(input.ClientId, StringComparer.Ordinal))
        {
            return Writer(_ => { }); // Idempotent, as documented.
        }

        if (provider.ClientIds.Count >= MaxClientIds)
        {
            return OidcProviderErrors.ClientIdQuota(MaxClientIds);
        }

        return await SaveAsync(provider with { ClientIds = [.. provider.ClientIds, input.ClientId] }, cancellationToken);
    }

    private async Task<Result<Action<XmlWriter>>> RemoveClientIdAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var found = await FindAsync(OidcProviderRequests.ClientId(request), r => r.Arn, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (input, provider) = found.Value;
        var remaining = provider.ClientIds.Where(id => !string.Equals(id, input.ClientId, StringComparison.Ordinal)).ToList();
        return remaining.Count == provider.ClientIds.Count
            ? Writer(_ => { }) // Idempotent, as documented.
            : await SaveAsync(provider with { ClientIds = remaining }, cancellationToken);
    }

    private async Task<Result<(T Input, OidcProvider Provider)>> FindAsync<T>(Result<T> bound, Func<T, string> arnOf, CancellationToken cancellationToken)
    {
        if (!bound.IsSuccess)
        {
            return bound.Error!;
        }

        var arn = arnOf(bound.Value);
        if (!IsProviderArn(arn))
        {
            return OidcProviderErrors.InvalidArn(arn);
        }

        var provider = await _store.GetOidcProviderAsync(arn, cancellationToken);
        return provider is null ? OidcProviderErrors.NotFound(arn) : (bound.Value, provider);
    }

    private async Task<Result<Action<XmlWriter>>> SaveAsync(OidcProvider provider, CancellationToken cancellationToken)
    {
        if (!await _store.UpdateOidcProviderAsync(provider, cancellationToken))
        {
            return OidcProviderErrors.NotFound(provider.Arn); // Deleted between the read and the write.
        }

        _directory?.Invalidate();
        return Writer(_ => { });
    }

    private static bool IsProviderArn(string arn) => ProviderArnPattern().IsMatch(arn);

    private static Result<Action<XmlWriter>> Writer(Action<XmlWriter> write) => Result<Action<XmlWriter>>.Ok(write);

    private static void WriteMembers(XmlWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartElement(name);
        foreach (var value in values)
        {
            writer.WriteElementString("member", value);
        }

        writer.WriteEndElement();
    }

    /// <summary>Tags sorted by key, as GetOpenIDConnectProvider documents.</summary>
    [GeneratedRegex(@"^arn:aws:iam::\d{12}:oidc-provider/.+$")]
    private static partial Regex ProviderArnPattern();
}
