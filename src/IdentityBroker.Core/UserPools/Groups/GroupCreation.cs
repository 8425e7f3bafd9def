namespace IdentityBroker.UserPools.Groups;

/// <summary>What a store's create of a group did.</summary>
public enum GroupCreation
{
    Created,

    /// <summary>A group with the same <see cref="GroupNames.Key"/> exists in the pool; nothing was written.</summary>
    NameTaken,

    /// <summary>The pool does not exist (or is being deleted); nothing was written.</summary>
    NoPool,
}
