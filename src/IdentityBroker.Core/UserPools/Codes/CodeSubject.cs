namespace IdentityBroker.UserPools.Codes;

/// <summary>
/// Whom a code is for and why: one live code per subject, a new code replaces the previous one.
/// </summary>
/// <param name="UserSub">
/// The user's <c>sub</c>, not the username: a user deleted and created again under the same username gets a new sub, so
/// it never inherits a code sent to the old user.
/// </param>
/// <param name="Attribute">The attribute being verified (<c>email</c>, <c>phone_number</c>) for AttributeVerification; else null.</param>
public sealed record CodeSubject(string UserPoolId, string UserSub, CodePurpose Purpose, string? Attribute = null)
{
    /// <summary>The key of the subject's code inside its pool. Parts are length-prefixed so no two subjects share a key.</summary>
    public string Key => $"{Purpose}/{UserSub.Length}:{UserSub}/{Attribute}";
}
