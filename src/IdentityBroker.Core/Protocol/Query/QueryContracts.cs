using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Protocol.Query;

/// <summary>An AWS Query request: the form (or query-string) parameters, plus the raw request for SigV4.</summary>
public sealed record QueryRequest(IReadOnlyDictionary<string, string> Parameters, SignedRequest Raw, string RequestId)
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

/// <summary>One AWS Query service behind <c>POST /</c>, chosen by the <c>Version</c> parameter (IAM 2010-05-08, STS 2011-06-15).</summary>
public interface IQueryService
{
    string Version { get; }

    Task<ProtocolResponse> HandleAsync(QueryRequest request, CancellationToken cancellationToken);
}
