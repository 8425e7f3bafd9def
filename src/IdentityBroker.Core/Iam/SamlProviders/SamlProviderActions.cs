using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml;
using IdentityBroker.Errors;
using IdentityBroker.Federation.Saml;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Storage;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Iam.SamlProviders;

/// <summary>
/// The IAM SAML provider actions (IAM 2010-05-08, all signed): CreateSAMLProvider, GetSAMLProvider, UpdateSAMLProvider,
/// ListSAMLProviders, DeleteSAMLProvider. The metadata is parsed and checked on create and update (SamlMetadata); what a
/// pool's SamlProviderARNs and the SAML login validator trust. Assertion encryption is not supported and refused.
/// Resources: <c>saml-provider/&lt;name&gt;</c>.
/// </summary>
public sealed partial class SamlProviderActions : IamProviderActions<SamlProvider>
{
    /// <summary>ValidUntil when the metadata has no validUntil (real IAM shows a date a century after creation).</summary>
    private static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(36_524);

    // IAM quota SAMLProvidersPerAccount: 100.
    private static readonly IamProviderKind Kind = new(
        ["CreateSAMLProvider", "GetSAMLProvider", "UpdateSAMLProvider", "ListSAMLProviders", "DeleteSAMLProvider"],
        "CreateSAMLProvider", "ListSAMLProviders", "SAMLProviderArn",
        ProviderArnPattern(), SamlProviderErrors.InvalidArn, SamlProviderErrors.NotFound, 100, SamlProviderErrors.ProviderQuota);

    /// <param name="directory">When given, its cache is dropped after every change so logins see it at once.</param>
    public SamlProviderActions(ISamlProviderStore store, IOptions<BrokerOptions> options, TimeProvider time, SamlProviderDirectory? directory = null)
        : base(Kind, Stored(store), options, time, directory is null ? null : directory.Invalidate)
    {
    }

    public static string Arn(string accountId, string name) => $"arn:aws:iam::{accountId}:saml-provider/{name}";

    protected override async Task<Result<Action<XmlWriter>>> RunAsync(string action, QueryRequest request, CancellationToken cancellationToken) =>
        action switch
        {
            "CreateSAMLProvider" =>
                await CreateAsync(SamlProviderRequests.Create(request), NewProvider, input => SamlProviderErrors.AlreadyExists(input.Name), cancellationToken),
            "GetSAMLProvider" => await DescribeAsync(SamlProviderRequests.Arn(request), Describe, cancellationToken),
            "UpdateSAMLProvider" => await UpdateAsync(request, cancellationToken),
            "ListSAMLProviders" => await ListAsync("SAMLProviderList", static (w, provider) =>
            {
                QueryXml.WriteTimestamp(w, "ValidUntil", provider.ValidUntil);
                QueryXml.WriteTimestamp(w, "CreateDate", provider.CreateDate);
            }, cancellationToken),
            "DeleteSAMLProvider" => await DeleteAsync(SamlProviderRequests.Arn(request), SamlProviderErrors.NotFound, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "The dispatcher routed an action this handler does not declare."),
        };

    protected override string RequestedArn(QueryRequest request) => Arn(Options.AccountId, request.Get("Name") ?? string.Empty);

    private Result<SamlProvider> NewProvider(CreateSamlProviderRequest input)
    {
        var now = Time.GetUtcNow();
        return new SamlProvider
        {
            Arn = Arn(Options.AccountId, input.Name),
            Name = input.Name,
            MetadataDocument = input.Metadata,
            Uuid = NewUuid(),
            CreateDate = now,
            ValidUntil = input.ValidUntil ?? now + DefaultValidity,
            Tags = input.Tags,
        };
    }

    private static IamProviderStore<SamlProvider> Stored(ISamlProviderStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new(store.GetSamlProviderAsync, store.ListSamlProvidersAsync, store.TryCreateSamlProviderAsync, store.UpdateSamlProviderAsync, store.DeleteSamlProviderAsync);
    }

    private static Action<XmlWriter> Describe(SamlProvider provider) => w =>
    {
        w.WriteElementString("SAMLProviderUUID", provider.Uuid);
        w.WriteElementString("SAMLMetadataDocument", provider.MetadataDocument);
        QueryXml.WriteTimestamp(w, "CreateDate", provider.CreateDate);
        QueryXml.WriteTimestamp(w, "ValidUntil", provider.ValidUntil);
        IamTags.Write(w, provider.Tags);
    };

    private async Task<Result<Action<XmlWriter>>> UpdateAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var found = await FindAsync(SamlProviderRequests.Update(request), u => u.Arn, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (input, current) = found.Value;
        if (input.Metadata is not { } document)
        {
            return SamlProviderErrors.MetadataRequired();
        }

        var metadata = SamlMetadata.Parse(document);
        if (!metadata.IsSuccess)
        {
            return metadata.Error!;
        }

        var updated = current with
        {
            MetadataDocument = document,
            ValidUntil = metadata.Value.ValidUntil ?? current.CreateDate + DefaultValidity,
        };
        return await SaveAsync(updated, w => w.WriteElementString("SAMLProviderArn", updated.Arn), cancellationToken);
    }

    /// <summary>SAMLProviderUUID: privateKeyIdType, <c>[A-Z0-9]+</c> of 22–64 characters.</summary>
    private static string NewUuid() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    [GeneratedRegex(@"^arn:aws:iam::\d{12}:saml-provider/[A-Za-z0-9_.\-]{1,128}$")]
    private static partial Regex ProviderArnPattern();
}
