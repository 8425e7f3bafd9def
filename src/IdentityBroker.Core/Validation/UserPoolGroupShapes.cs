using System.Text.RegularExpressions;

namespace IdentityBroker.Validation;

/// <summary>The constrained shapes of cognito-idp.service-2.json (2016-04-18) used by the group and tag operations.</summary>
internal static partial class UserPoolGroupShapes
{
    /// <summary>GroupNameType: Java matches the classes per code point (as ClaimName), so a name of emoji passes.</summary>
    public static readonly StringShape GroupNameType = new(1, 128, @"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", matcher: JavaPatterns.IsClaimName);

    /// <summary>UsernameType: <c>sensitive</c> in the model, so never echoed.</summary>
    public static readonly StringShape UsernameType =
        new(1, 128, @"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", matcher: JavaPatterns.IsClaimName, sensitive: true);

    public static readonly StringShape DescriptionType = new(null, 2048);

    /// <summary>ArnType: RoleArn of a group and ResourceArn of the tag operations are checked against the model's pattern.</summary>
    public static readonly StringShape ArnType = new(20, 2048,
        @"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?", Arn());

    /// <summary>PrecedenceType: min 0 and no max in the model (the API reference: at most 2^31-1, the int range).</summary>
    public static readonly IntegerShape PrecedenceType = new(0, int.MaxValue);

    /// <summary>QueryLimitType of ListGroups, ListUsersInGroup, AdminListGroupsForUser: 0–60.</summary>
    public static readonly IntegerShape QueryLimitType = new(0, 60);

    public static readonly StringShape TagKeysType = new(1, 128);

    public static readonly StringShape TagValueType = new(0, 256);

    public static readonly CountShape Unbounded = new(null, null);

    /// <summary>ArnType in Java semantics: <c>\w</c> is ASCII (<c>[a-zA-Z0-9_]</c>), the whole value must match.</summary>
    [GeneratedRegex(@"\Aarn:[a-zA-Z0-9_+=/,.@-]+:[a-zA-Z0-9_+=/,.@-]+:([a-zA-Z0-9_+=/,.@-]*)?:[0-9]+:[a-zA-Z0-9_+=/,.@-]+(:[a-zA-Z0-9_+=/,.@-]+)?(:[a-zA-Z0-9_+=/,.@-]+)?\z",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Arn();
}
