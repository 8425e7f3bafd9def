using System.Buffers.Binary;
using System.Buffers.Text;

namespace IdentityBroker.Storage;

/// <summary>Which listing a cursor belongs to, so that a token of one listing is not accepted by another.</summary>
public enum PageCursorKind : byte
{
    Pools = 1,
    Identities = 2,

    /// <summary>LookupDeveloperIdentity over one identity's developer user ids (position = how many were returned).</summary>
    DeveloperUsers = 3,

    /// <summary>ListUserPools, in creation order.</summary>
    UserPools = 4,

    /// <summary>ListUserPoolClients, in creation order.</summary>
    UserPoolClients = 5,

    /// <summary>ListUsers, in creation order.</summary>
    Users = 6,

    /// <summary>ListGroups, then ListUsersInGroup and AdminListGroupsForUser (by membership), in creation order.</summary>
    UserPoolGroups = 20,
    UserPoolGroupMembers = 21,
    UserPoolMemberGroups = 22,

    /// <summary>ListResourceServers, in creation order.</summary>
    ResourceServers = 30,

    /// <summary>ListIdentityProviders, in creation order.</summary>
    UserPoolIdentityProviders = 31,
}

/// <summary>
/// The opaque NextToken of a listing ordered by a monotonic integer position: base64url of
/// version, kind and the position of the last item returned. The next page starts after that position, so the
/// token stays valid when that item, or any before it, is deleted.
/// </summary>
public static class PageCursor
{
    private const byte Version = 1;
    private const int Length = 2 + sizeof(long);

    public static string Encode(PageCursorKind kind, long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = Version;
        bytes[1] = (byte)kind;
        BinaryPrimitives.WriteInt64BigEndian(bytes[2..], position);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The position after which the page starts: 0 for the first page (no token).</summary>
    /// <exception cref="InvalidNextTokenException">The token was not issued by <see cref="Encode"/> for this kind.</exception>
    public static long Decode(PageCursorKind kind, string? token)
    {
        if (token is null)
        {
            return 0;
        }

        // A valid token is 14 characters; anything much longer is rejected before decoding.
        // (TryDecodeFromChars throws on characters outside the alphabet, so IsValid checks them first.)
        Span<byte> bytes = stackalloc byte[Length];
        if (token.Length > 32
            || !Base64Url.IsValid(token, out var decodedLength)
            || decodedLength != Length
            || !Base64Url.TryDecodeFromChars(token, bytes, out _)
            || bytes[0] != Version
            || bytes[1] != (byte)kind)
        {
            throw new InvalidNextTokenException();
        }

        var position = BinaryPrimitives.ReadInt64BigEndian(bytes[2..]);
        return position >= 0 ? position : throw new InvalidNextTokenException();
    }
}
