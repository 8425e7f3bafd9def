using IdentityBroker.Identities.Developer;

namespace IdentityBroker.Identities.Linking;

/// <summary>
/// The operations that link and unlink logins of identities (UnlinkIdentity, and the developer-identity operations of an
/// app backend), handed to the operation table as one service.
/// </summary>
public sealed record LinkingOperations(UnlinkOperations Unlink, DeveloperTokenOperation DeveloperToken, DeveloperIdentityOperations Developer);
