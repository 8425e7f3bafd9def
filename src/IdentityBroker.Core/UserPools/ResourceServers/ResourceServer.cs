namespace IdentityBroker.UserPools.ResourceServers;

/// <summary>
/// A resource server of a user pool (CreateResourceServer): an API named by <see cref="Identifier"/> whose scopes app clients
/// may be allowed as <c>&lt;identifier&gt;/&lt;scope name&gt;</c>.
/// </summary>
public sealed record ResourceServer(string UserPoolId, string Identifier, string Name, IReadOnlyList<ResourceServerScope> Scopes);

public sealed record ResourceServerScope(string ScopeName, string ScopeDescription);
