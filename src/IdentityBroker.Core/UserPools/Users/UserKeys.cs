using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Users;

/// <summary>
/// The unique keys a user holds in its pool: its username, and the attributes the pool lets users sign in with. The
/// store claims them atomically with the user's write, so two users never hold the same key. A key is
/// <c>&lt;kind&gt;:&lt;value&gt;</c>; values are lower-cased when the pool's usernames are case insensitive (the model's
/// UsernameConfigurationType: that makes the email and preferred_username aliases case insensitive too).
/// </summary>
/// <remarks>
/// Which attributes are keys (Cognito developer guide, "User pool attributes", sign-in options):
/// <list type="bullet">
/// <item>UsernameAttributes (email, phone_number): the attribute is a sign-in name, unique whether verified or not.</item>
/// <item>AliasAttributes email / phone_number: a sign-in name only once verified; an unverified value is not a key.</item>
/// <item>AliasAttributes preferred_username: always a key.</item>
/// </list>
/// </remarks>
public static class UserKeys
{
    public const string UsernameKind = "username";

    public static IReadOnlyList<string> Of(UserPool pool, PoolUser user)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        var keys = new List<string> { Key(pool, UsernameKind, user.Username) };
        // Each provider user that signs in as this user (its own federated identity, or a link) is a key: one provider
        // user maps to one pool user. A federated user signs in only through its provider, so holds no sign-in attributes.
        keys.AddRange(Federation.FederatedIdentity.Of(user).Select(i => i.Key));
        if (user.UserStatus == UserStatuses.ExternalProvider)
        {
            return keys;
        }

        foreach (var attribute in pool.UsernameAttributes ?? [])
        {
            if (user.Attribute(attribute) is { } value)
            {
                keys.Add(Key(pool, attribute, value));
            }
        }

        foreach (var attribute in pool.AliasAttributes ?? [])
        {
            var needsVerification = attribute != StandardAttributes.PreferredUsername;
            if (user.Attribute(attribute) is { } value && (!needsVerification || user.IsVerified(attribute)))
            {
                keys.Add(Key(pool, attribute, value));
            }
        }

        return keys;
    }

    /// <summary>The key <paramref name="value"/> would hold as <paramref name="kind"/> (username or an attribute name).</summary>
    public static string Key(UserPool pool, string kind, string value)
    {
        ArgumentNullException.ThrowIfNull(pool);
        // Phone numbers are E.164 digits: nothing to fold.
        var folded = pool.UsernameCaseSensitive || kind == StandardAttributes.PhoneNumber ? value : value.ToLowerInvariant();
        return kind + ":" + folded;
    }

    /// <summary>The kind of a key: <c>username</c> or the attribute name.</summary>
    public static string KindOf(string key) => key[..key.IndexOf(':', StringComparison.Ordinal)];

    /// <summary>
    /// The keys a name given to an admin operation or a sign-in may be, most specific first: the username, then each
    /// sign-in attribute of the pool (AdminGetUser and the sign-in flows accept an alias or username attribute).
    /// </summary>
    public static IReadOnlyList<string> Candidates(UserPool pool, string name)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var keys = new List<string> { Key(pool, UsernameKind, name) };
        foreach (var attribute in (pool.UsernameAttributes ?? []).Concat(pool.AliasAttributes ?? []))
        {
            keys.Add(Key(pool, attribute, name));
        }

        return keys;
    }
}
