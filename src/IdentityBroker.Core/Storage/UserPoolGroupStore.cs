using IdentityBroker.UserPools.Groups;

namespace IdentityBroker.Storage;

/// <summary>
/// The groups of the user pools and who belongs to them. A group is keyed by its pool and <see cref="GroupNames.Key"/>;
/// a member by its pool and the user's stable key (<paramref name="member"/> in the methods below: the caller decides
/// which of the user's identifiers that is, and uses the same one everywhere). Deleting a pool deletes its groups;
/// deleting a group deletes its memberships.
/// </summary>
public interface IUserPoolGroupStore
{
    Task<GroupCreation> TryCreateGroupAsync(UserPoolGroup group, CancellationToken cancellationToken);

    Task<UserPoolGroup?> GetGroupAsync(string userPoolId, string groupName, CancellationToken cancellationToken);

    /// <returns>False when the group does not exist.</returns>
    Task<bool> UpdateGroupAsync(UserPoolGroup group, CancellationToken cancellationToken);

    /// <summary>Deletes the group and every membership in it.</summary>
    /// <returns>False when the group did not exist.</returns>
    Task<bool> DeleteGroupAsync(string userPoolId, string groupName, CancellationToken cancellationToken);

    /// <summary>A pool's groups in creation order, <paramref name="limit"/> at a time.</summary>
    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    Task<Page<UserPoolGroup>> ListGroupsAsync(string userPoolId, int limit, string? nextToken, CancellationToken cancellationToken);

    /// <summary>Adds a member to a group; adding a member twice keeps the first membership.</summary>
    /// <returns>False when the group does not exist.</returns>
    Task<bool> AddMemberAsync(string userPoolId, string groupName, string member, CancellationToken cancellationToken);

    /// <returns>False when the group does not exist (removing someone who is not a member is not an error).</returns>
    Task<bool> RemoveMemberAsync(string userPoolId, string groupName, string member, CancellationToken cancellationToken);

    /// <summary>A group's members in the order they were added, <paramref name="limit"/> at a time.</summary>
    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    Task<Page<string>> ListMembersAsync(string userPoolId, string groupName, int limit, string? nextToken, CancellationToken cancellationToken);

    /// <summary>The groups of a member in the order the memberships were made, <paramref name="limit"/> at a time.</summary>
    /// <exception cref="InvalidNextTokenException"><paramref name="nextToken"/> was not issued by this listing.</exception>
    Task<Page<UserPoolGroup>> ListGroupsOfMemberAsync(string userPoolId, string member, int limit, string? nextToken,
        CancellationToken cancellationToken);

    /// <summary>Drops every membership of a member (the user is deleted).</summary>
    Task RemoveMemberFromAllGroupsAsync(string userPoolId, string member, CancellationToken cancellationToken);
}
