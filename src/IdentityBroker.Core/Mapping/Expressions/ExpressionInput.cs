namespace IdentityBroker.Mapping.Expressions;

/// <summary>One login as a rule sees it: its Logins key and its claims as JSON (<see cref="ExpressionValues.ClaimsJson"/>).</summary>
public sealed record ExpressionLogin(string Provider, byte[] ClaimsJson);

/// <summary>The request as rules see it (<c>request.sourceIp</c>, <c>request.userAgent</c>); empty strings when unknown.</summary>
public sealed record ExpressionRequest(string SourceIp, string UserAgent)
{
    public static readonly ExpressionRequest Unknown = new(string.Empty, string.Empty);
}

/// <summary>
/// Everything an expression rule may read, for one credential request: the validated logins, the identity (id, creation
/// time, the providers of its linked logins), the request and the time. The credential path, the simulator and replay build it alike.
/// </summary>
public sealed record ExpressionInput(
    IReadOnlyList<ExpressionLogin> Logins,
    string IdentityId,
    DateTimeOffset IdentityCreated,
    IReadOnlyList<string> IdentityLogins,
    ExpressionRequest Request,
    DateTimeOffset Now)
{
    public static IReadOnlyList<ExpressionLogin> From(IEnumerable<MappingLogin> logins) =>
        [.. logins.Select(l => new ExpressionLogin(l.ProviderKey, ExpressionValues.ClaimsJson(l)))];
}
