using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Protocol.Query;

/// <summary>An AWS Query request: the form (or query-string) parameters, plus the raw request for SigV4.</summary>
/// <param name="Parameters">Form (or query-string) parameters, decoded.</param>
/// <param name="Raw">The request as received, for handlers that need headers.</param>
/// <param name="RequestId">The id echoed in the reply's ResponseMetadata.</param>
/// <param name="Caller">Who signed the request; null for unsigned actions (AssumeRoleWithWebIdentity).</param>
public sealed record QueryRequest(IReadOnlyDictionary<string, string> Parameters, SignedRequest Raw, string RequestId, SigningPrincipal? Caller)
{
    public string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>Reads a Query list such as <c>ClientIDList.member.1</c>, <c>ClientIDList.member.2</c>, in order.</summary>
    public IReadOnlyList<string> GetList(string name)
    {
        var items = new List<string>();
        for (var i = 1; Parameters.TryGetValue($"{name}.member.{i}", out var value); i++)
        {
            items.Add(value);
        }

        return items;
    }
}

/// <summary>
/// Answers some actions of one AWS Query service version (IAM 2010-05-08, STS 2011-06-15). The dispatcher routes
/// <c>POST /</c> form bodies by (Version, Action), verifies SigV4 and authorizes the caller on the action's resources
/// before calling a handler for a signed action.
/// </summary>
public interface IQueryActionHandler
{
    /// <summary>The API version, e.g. <c>2010-05-08</c>.</summary>
    string Version { get; }

    /// <summary>The XML namespace of replies, e.g. <c>https://iam.amazonaws.com/doc/2010-05-08/</c>.</summary>
    string XmlNamespace { get; }

    IReadOnlyCollection<string> Actions { get; }

    /// <summary>False only for actions AWS serves unsigned (AssumeRoleWithWebIdentity, AssumeRoleWithSAML).</summary>
    bool RequiresSignature(string action);

    /// <summary>
    /// The resources a signed action acts on, as the Service Authorization Reference gives them (e.g. IAM's
    /// <c>role/&lt;path&gt;&lt;name&gt;</c>, <c>*</c> for List actions), read from the same parameters the action runs on.
    /// Called only when the caller's policy is evaluated, before <see cref="HandleAsync"/>.
    /// </summary>
    ValueTask<IReadOnlyList<ResourceContext>> ResourcesAsync(string action, QueryRequest request, CancellationToken cancellationToken);

    Task<ProtocolResponse> HandleAsync(string action, QueryRequest request, CancellationToken cancellationToken);
}
