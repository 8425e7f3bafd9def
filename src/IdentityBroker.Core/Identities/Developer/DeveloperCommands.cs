namespace IdentityBroker.Identities.Developer;

/// <param name="IdentityId">The identity to link the logins to; null finds or creates the developer user's identity.</param>
/// <param name="Logins">The developer provider's entry (developer user id) and any public-provider tokens to link.</param>
/// <param name="PrincipalTags">Session tags the token carries; null for none.</param>
/// <param name="Lifetime">How long the token lives.</param>
public sealed record GetDeveloperToken(
    string IdentityPoolId,
    string? IdentityId,
    IReadOnlyDictionary<string, string> Logins,
    IReadOnlyDictionary<string, string>? PrincipalTags,
    TimeSpan Lifetime);

/// <summary>At least one of IdentityId and DeveloperUserIdentifier is needed (checked by the operation, as Cognito does).</summary>
/// <param name="MaxResults">Page size when listing an identity's developer users; null for the default.</param>
public sealed record LookupDeveloperIdentity(
    string IdentityPoolId, string? IdentityId, string? DeveloperUserIdentifier, int? MaxResults, string? NextToken);

public sealed record MergeDeveloperIdentities(
    string IdentityPoolId, string DeveloperProviderName, string SourceUserIdentifier, string DestinationUserIdentifier);

public sealed record UnlinkDeveloperIdentity(
    string IdentityPoolId, string DeveloperProviderName, string IdentityId, string DeveloperUserIdentifier);

/// <summary>The developer users of one identity, one page at a time.</summary>
public sealed record DeveloperUsers(string IdentityId, IReadOnlyList<string> UserIdentifiers, string? NextToken);
