using IdentityBroker.Identities.Developer;

namespace IdentityBroker.Identities.Linking;

/// <summary>The identity-lifecycle operations of issue 3, handed to the operation table as one service.</summary>
public sealed record LifecycleOperations(UnlinkOperations Unlink, DeveloperTokenOperation DeveloperToken, DeveloperIdentityOperations Developer);
