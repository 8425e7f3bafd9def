namespace IdentityBroker.Mapping;

/// <param name="IdentityProviderName">The configured provider the map is for.</param>
/// <param name="PrincipalTags">Tag key → claim name; null or empty (without UseDefaults) clears the map.</param>
public sealed record SetPrincipalTagMap(
    string IdentityPoolId, string IdentityProviderName, bool UseDefaults, IReadOnlyDictionary<string, string>? PrincipalTags);

public sealed record GetPrincipalTagMap(string IdentityPoolId, string IdentityProviderName);

/// <summary>A provider's principal-tag map as the operator sees it: the defaults spelled out as their entries.</summary>
/// <param name="PrincipalTags">Tag key → claim name; null when the map was cleared.</param>
public sealed record ProviderPrincipalTags(
    string IdentityPoolId, string IdentityProviderName, bool UseDefaults, IReadOnlyDictionary<string, string>? PrincipalTags);
