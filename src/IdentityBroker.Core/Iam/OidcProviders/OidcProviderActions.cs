using System.Text.RegularExpressions;
using System.Xml;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Oidc;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Storage;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Iam.OidcProviders;

/// <summary>
/// The IAM OpenID Connect provider actions (IAM 2010-05-08, all signed): what a pool's OpenIdConnectProviderARNs and the
/// embedded STS trust. Replies and errors follow iam.service-2.json and real IAM. Resources: <c>oidc-provider/&lt;host/path&gt;</c>.
/// </summary>
public sealed partial class OidcProviderActions : IamProviderActions<OidcProvider>
{
    // IAM quota ClientIdsPerOpenIdConnectProvider.
    private const int MaxClientIds = 100;

    // IAM quota OpenIdConnectProvidersPerAccount: 100.
    private static readonly IamProviderKind Kind = new(
        [
            "CreateOpenIDConnectProvider", "GetOpenIDConnectProvider", "ListOpenIDConnectProviders", "DeleteOpenIDConnectProvider",
            "UpdateOpenIDConnectProviderThumbprint", "AddClientIDToOpenIDConnectProvider", "RemoveClientIDFromOpenIDConnectProvider",
        ],
        "CreateOpenIDConnectProvider", "ListOpenIDConnectProviders", "OpenIDConnectProviderArn",
        ProviderArnPattern(), OidcProviderErrors.InvalidArn, OidcProviderErrors.NotFound, 100, OidcProviderErrors.ProviderQuota);

    /// <param name="directory">When given, its cache is dropped after every change so validators see it at once.</param>
    public OidcProviderActions(IIamStore store, IOptions<BrokerOptions> options, TimeProvider time, OidcProviderDirectory? directory = null)
        : base(Kind, Stored(store), options, time, directory is null ? null : directory.Invalidate)
    {
    }

    protected override async Task<Result<Action<XmlWriter>>> RunAsync(string action, QueryRequest request, CancellationToken cancellationToken) =>
        action switch
        {
            "CreateOpenIDConnectProvider" =>
                await CreateAsync(OidcProviderRequests.Create(request), NewProvider, input => OidcProviderErrors.AlreadyExists(input.Url), cancellationToken),
            "GetOpenIDConnectProvider" => await DescribeAsync(OidcProviderRequests.Arn(request), Describe, cancellationToken),
            "ListOpenIDConnectProviders" => await ListAsync("OpenIDConnectProviderList", static (_, _) => { }, cancellationToken),
            "DeleteOpenIDConnectProvider" =>
                // The API reference calls this idempotent, but real IAM answers a second delete with NoSuchEntity.
                await DeleteAsync(OidcProviderRequests.Arn(request), OidcProviderErrors.NotFoundOnDelete, cancellationToken),
            "UpdateOpenIDConnectProviderThumbprint" => await UpdateThumbprintsAsync(request, cancellationToken),
            "AddClientIDToOpenIDConnectProvider" => await AddClientIdAsync(request, cancellationToken),
            "RemoveClientIDFromOpenIDConnectProvider" => await RemoveClientIdAsync(request, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "The dispatcher routed an action this handler does not declare."),
        };

    protected override string RequestedArn(QueryRequest request) => OidcProviderUrl.Arn(Options.AccountId, request.Get("Url") ?? string.Empty);

    private Result<OidcProvider> NewProvider(CreateProviderRequest input)
    {
        if (input.ClientIds.Count > MaxClientIds)
        {
            return OidcProviderErrors.ClientIdQuota(MaxClientIds);
        }

        return new OidcProvider
        {
            Arn = OidcProviderUrl.Arn(Options.AccountId, input.Url),
            Url = input.Url,
            ClientIds = input.ClientIds,
            Thumbprints = input.Thumbprints,
            Tags = input.Tags,
            CreateDate = Time.GetUtcNow(),
        };
    }

    private static IamProviderStore<OidcProvider> Stored(IIamStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new(store.GetOidcProviderAsync, store.ListOidcProvidersAsync, store.TryCreateOidcProviderAsync, store.UpdateOidcProviderAsync, store.DeleteOidcProviderAsync);
    }

    private static Action<XmlWriter> Describe(OidcProvider provider) => w =>
    {
        WriteMembers(w, "ThumbprintList", provider.Thumbprints);
        QueryXml.WriteTimestamp(w, "CreateDate", provider.CreateDate);
        WriteMembers(w, "ClientIDList", provider.ClientIds);
        IamTags.Write(w, provider.Tags);

        // Real IAM answers with the URL without its scheme ("server.example.com"), not what was registered.
        w.WriteElementString("Url", OidcProviderUrls.WithoutScheme(provider.Url));
    };

    private async Task<Result<Action<XmlWriter>>> UpdateThumbprintsAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var found = await FindAsync(OidcProviderRequests.Thumbprints(request), r => r.Arn, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        // The new list replaces the old one; the lists are not merged.
        return await SaveAsync(found.Value.Provider with { Thumbprints = found.Value.Input.Thumbprints }, static _ => { }, cancellationToken);
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

        return await SaveAsync(provider with { ClientIds = [.. provider.ClientIds, input.ClientId] }, static _ => { }, cancellationToken);
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
            : await SaveAsync(provider with { ClientIds = remaining }, static _ => { }, cancellationToken);
    }

    private static void WriteMembers(XmlWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartElement(name);
        foreach (var value in values)
        {
            writer.WriteElementString("member", value);
        }

        writer.WriteEndElement();
    }

    [GeneratedRegex(@"^arn:aws:iam::\d{12}:oidc-provider/.+$")]
    private static partial Regex ProviderArnPattern();
}
