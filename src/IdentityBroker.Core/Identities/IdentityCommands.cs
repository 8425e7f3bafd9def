namespace IdentityBroker.Identities;

/// <param name="AccountId">When given, must be the broker's account.</param>
/// <param name="Logins">Logins key → token; empty for a guest.</param>
public sealed record GetId(string IdentityPoolId, string? AccountId, IReadOnlyDictionary<string, string> Logins)
{
    /// <summary>The client's address, for the guest quota (docs/limits.md); null when unknown (then no per-address count).</summary>
    public string? SourceIp { get; init; }
}

public sealed record DescribeIdentity(string IdentityId);

public sealed record ListIdentities(string IdentityPoolId, int MaxResults, string? NextToken, bool HideDisabled);

public sealed record DeleteIdentities(IReadOnlyList<string> IdentityIds);

/// <summary>One page of a pool's identities.</summary>
public sealed record IdentityList(string IdentityPoolId, IReadOnlyList<Identity> Identities, string? NextToken);
