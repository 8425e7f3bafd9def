using IdentityBroker.Identities;

namespace IdentityBroker.Credentials;

/// <param name="Logins">Logins key → token; empty for a guest.</param>
public sealed record GetOpenIdToken(string IdentityId, IReadOnlyDictionary<string, string> Logins);

/// <param name="Logins">Logins key → token; empty for a guest.</param>
/// <param name="CustomRoleArn">The role the caller asks for among those its mapping allows.</param>
public sealed record GetCredentials(string IdentityId, IReadOnlyDictionary<string, string> Logins, string? CustomRoleArn);

/// <summary>An OpenID token for an identity (GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity).</summary>
public sealed record IdentityToken(string IdentityId, string Token);

/// <summary>AWS credentials for an identity (GetCredentialsForIdentity).</summary>
public sealed record IdentityCredentials(string IdentityId, IssuedCredentials Credentials);
