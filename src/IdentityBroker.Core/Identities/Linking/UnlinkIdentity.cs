namespace IdentityBroker.Identities.Linking;

/// <param name="Logins">Current logins of the identity, proving the caller may act for it.</param>
/// <param name="ProvidersToRemove">The Logins keys whose logins are unlinked.</param>
public sealed record UnlinkIdentity(string IdentityId, IReadOnlyDictionary<string, string> Logins, IReadOnlySet<string> ProvidersToRemove);
