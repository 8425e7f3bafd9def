using System.Text.RegularExpressions;
using System.Xml;
using IdentityBroker.Errors;
using IdentityBroker.Iam.OidcProviders;
using IdentityBroker.Protocol;
using IdentityBroker.Protocol.Query;
using IdentityBroker.Protocol.Signing;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Iam;

/// <summary>
/// What IAM's identity-provider actions share for both kinds of provider, OpenID Connect and SAML (IAM 2010-05-08, all
/// signed): the resources an action acts on, running an action and writing its reply, finding the provider a call names
/// by ARN, deleting it, and the replies of create and list.
/// </summary>
public abstract class IamProviderActions<TProvider> : IQueryActionHandler
    where TProvider : class, IIamProvider
{
    public const string ApiVersion = "2010-05-08";
    public const string Namespace = "https://iam.amazonaws.com/doc/2010-05-08/";

    private readonly IamProviderKind _kind;
    private readonly IamProviderStore<TProvider> _store;
    private readonly Action? _changed;

    /// <param name="changed">Called after every change, so the validators' caches see it at once.</param>
    private protected IamProviderActions(
        IamProviderKind kind, IamProviderStore<TProvider> store, IOptions<BrokerOptions> options, TimeProvider time, Action? changed)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _kind = kind;
        _store = store;
        Options = options.Value;
        Time = time;
        _changed = changed;
    }

    public string Version => ApiVersion;

    public string XmlNamespace => Namespace;

    public IReadOnlyCollection<string> Actions => _kind.Actions;

    protected BrokerOptions Options { get; }

    protected TimeProvider Time { get; }

    public bool RequiresSignature(string action) => true;

    /// <summary>
    /// Service Authorization Reference (IAM): the provider actions act on the provider's ARN — the one the call names, with
    /// the stored provider's tags as <c>aws:ResourceTag/…</c>; the create action on the ARN it asks for, with the tags it
    /// asks for as <c>aws:RequestTag/…</c>; the list action has no resource type.
    /// </summary>
    public async ValueTask<IReadOnlyList<ResourceContext>> ResourcesAsync(string action, QueryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (action == _kind.ListAction)
        {
            return [ResourceContext.Any];
        }

        if (action == _kind.CreateAction)
        {
            var tags = IamTags.Unique(IamTags.Read(request, new IamConstraintViolations()));
            return [ResourceContext.Requesting(RequestedArn(request), tags)];
        }

        var arn = request.Get(_kind.ArnParameter) ?? string.Empty;
        var provider = arn.Length == 0 ? null : await _store.Get(arn, cancellationToken).ConfigureAwait(false);
        return [ResourceContext.Tagged(arn, provider?.Tags)];
    }

    public async Task<ProtocolResponse> HandleAsync(string action, QueryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await RunAsync(action, request, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess
            ? QueryXml.Success(action, Namespace, request.RequestId, result.Value)
            : QueryXml.Error(result.Error!, Namespace, request.RequestId);
    }

    /// <summary>Runs one of <see cref="Actions"/>; the reply's result element is what the returned writer writes.</summary>
    protected abstract Task<Result<Action<XmlWriter>>> RunAsync(string action, QueryRequest request, CancellationToken cancellationToken);

    /// <summary>The ARN the create action asks for, read from its parameters before they are checked.</summary>
    protected abstract string RequestedArn(QueryRequest request);


    /// <summary>The bound input of an action and the stored provider its ARN names.</summary>
    protected async Task<Result<(TInput Input, TProvider Provider)>> FindAsync<TInput>(
        Result<TInput> bound, Func<TInput, string> arnOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arnOf);
        if (!bound.IsSuccess)
        {
            return bound.Error!;
        }

        var arn = arnOf(bound.Value);
        if (!_kind.ArnPattern.IsMatch(arn))
        {
            return _kind.InvalidArn(arn);
        }

        var provider = await _store.Get(arn, cancellationToken).ConfigureAwait(false);
        return provider is null ? _kind.NotFound(arn) : (bound.Value, provider);
    }

    /// <summary>The reply of a get action: what <paramref name="describe"/> writes of the provider the ARN names.</summary>
    protected async Task<Result<Action<XmlWriter>>> DescribeAsync(
        Result<string> arn, Func<TProvider, Action<XmlWriter>> describe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(describe);
        var found = await FindAsync(arn, a => a, cancellationToken).ConfigureAwait(false);
        return found.IsSuccess ? describe(found.Value.Provider) : found.Error!;
    }

    /// <param name="notFound">The words of the delete action for an unknown provider.</param>
    protected async Task<Result<Action<XmlWriter>>> DeleteAsync(Result<string> arn, Func<string, AwsError> notFound, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notFound);
        if (!arn.IsSuccess)
        {
            return arn.Error!;
        }

        if (!_kind.ArnPattern.IsMatch(arn.Value))
        {
            return _kind.InvalidArn(arn.Value);
        }

        if (!await _store.Delete(arn.Value, cancellationToken).ConfigureAwait(false))
        {
            return notFound(arn.Value);
        }

        return Changed(_ => { });
    }

    /// <summary>Replaces the stored provider; the reply is what <paramref name="reply"/> writes.</summary>
    protected async Task<Result<Action<XmlWriter>>> SaveAsync(TProvider provider, Action<XmlWriter> reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return await _store.Update(provider, cancellationToken).ConfigureAwait(false)
            ? Changed(reply)
            : _kind.NotFound(provider.Arn); // Deleted between the read and the write.
    }

    /// <summary>A reply after a change to the providers, which the validators must see at once.</summary>
    protected Result<Action<XmlWriter>> Changed(Action<XmlWriter> write)
    {
        _changed?.Invoke();
        return write;
    }

    /// <summary>
    /// Stores the provider <paramref name="build"/> makes of the bound input, within the account's quota; the reply names
    /// its ARN, and its tags when it has any.
    /// </summary>
    /// <param name="alreadyExists">The words for a provider that exists, naming what the caller gave.</param>
    protected async Task<Result<Action<XmlWriter>>> CreateAsync<TInput>(
        Result<TInput> bound, Func<TInput, Result<TProvider>> build, Func<TInput, AwsError> alreadyExists, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(alreadyExists);
        var provider = bound.IsSuccess ? build(bound.Value) : bound.Error!;
        if (!provider.IsSuccess)
        {
            return provider.Error!;
        }

        if ((await _store.List(cancellationToken).ConfigureAwait(false)).Count >= _kind.MaxPerAccount)
        {
            return _kind.QuotaExceeded(_kind.MaxPerAccount);
        }

        if (!await _store.TryCreate(provider.Value, cancellationToken).ConfigureAwait(false))
        {
            return alreadyExists(bound.Value);
        }

        var created = provider.Value;
        return Changed(w =>
        {
            w.WriteElementString(_kind.ArnParameter, created.Arn);
            if (created.Tags.Count > 0)
            {
                IamTags.Write(w, created.Tags);
            }
        });
    }

    /// <summary>The list reply: one member per provider, ordered by ARN, with the ARN and what <paramref name="details"/> writes.</summary>
    protected async Task<Result<Action<XmlWriter>>> ListAsync(string listElement, Action<XmlWriter, TProvider> details, CancellationToken cancellationToken)
    {
        var providers = await _store.List(cancellationToken).ConfigureAwait(false);
        return Writer(w =>
        {
            w.WriteStartElement(listElement);
            foreach (var provider in providers.OrderBy(p => p.Arn, StringComparer.Ordinal))
            {
                w.WriteStartElement("member");
                w.WriteElementString("Arn", provider.Arn);
                details(w, provider);
                w.WriteEndElement();
            }

            w.WriteEndElement();
        });
    }

    protected static Result<Action<XmlWriter>> Writer(Action<XmlWriter> write) => Result<Action<XmlWriter>>.Ok(write);
}

/// <summary>What tells one kind of IAM identity provider from the other in the actions they share.</summary>
/// <param name="CreateAction">The action that creates a provider (it acts on the ARN it asks for).</param>
/// <param name="ListAction">The action that lists providers (no resource type).</param>
/// <param name="ArnParameter">The Query parameter by which every other action names its provider, and the element of the ARN in the create reply.</param>
/// <param name="ArnPattern">The form of this kind's ARNs: a malformed ARN is InvalidInput, not NoSuchEntity.</param>
/// <param name="MaxPerAccount">IAM's quota of providers of this kind per account.</param>
internal sealed record IamProviderKind(
    IReadOnlyCollection<string> Actions,
    string CreateAction,
    string ListAction,
    string ArnParameter,
    Regex ArnPattern,
    Func<string, AwsError> InvalidArn,
    Func<string, AwsError> NotFound,
    int MaxPerAccount,
    Func<int, AwsError> QuotaExceeded);

/// <summary>Where one kind of IAM identity provider is stored.</summary>
/// <param name="TryCreate">Stores a new provider; false when one with its ARN exists.</param>
/// <param name="Update">Replaces a stored provider; false when it no longer exists.</param>
internal sealed record IamProviderStore<TProvider>(
    Func<string, CancellationToken, Task<TProvider?>> Get,
    Func<CancellationToken, Task<IReadOnlyList<TProvider>>> List,
    Func<TProvider, CancellationToken, Task<bool>> TryCreate,
    Func<TProvider, CancellationToken, Task<bool>> Update,
    Func<string, CancellationToken, Task<bool>> Delete)
    where TProvider : class;
