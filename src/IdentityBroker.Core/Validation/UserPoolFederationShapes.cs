using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IdentityBroker.Validation;

/// <summary>The constrained shapes of cognito-idp.service-2.json (2016-04-18) used by the identity-provider operations.</summary>
internal static partial class UserPoolFederationShapes
{
    /// <summary>ProviderNameTypeV2 (CreateIdentityProvider): no underscore or separator first or from the third character on.</summary>
    public static readonly StringShape ProviderNameTypeV2 =
        new(1, 32, @"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+", matcher: IsProviderNameV2);

    /// <summary>ProviderNameType (the other operations): the ClaimName classes and separators.</summary>
    public static readonly StringShape ProviderNameType = new(1, 32, @"[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+", matcher: IsProviderName);

    public static readonly EnumShape IdentityProviderTypeType = new("SAML", "Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "OIDC");

    public static readonly StringShape StringType = new(0, 131072);

    public static readonly StringShape AttributeMappingKeyType = new(1, 32);

    /// <summary>IdpIdentifierType: Java's <c>\w</c> and <c>\s</c> are ASCII.</summary>
    public static readonly StringShape IdpIdentifierType = new(1, 40, @"[\w\s+=.@-]+", IdpIdentifier());

    public static readonly CountShape IdpIdentifiersListType = new(0, 50);

    public static readonly CountShape Unbounded = new(null, null);

    public static readonly IntegerShape ListProvidersLimitType = new(0, 60);

    [GeneratedRegex(@"\A[a-zA-Z0-9_ \t\n\x0B\f\r+=.@-]+\z", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex IdpIdentifier();

    private static bool IsProviderName(string value) => Runes(value) is { } runes && runes.Count > 0
        && runes.All(r => IsClaim(r) || IsSeparator(r));

    /// <summary>Java matches per code point; an unpaired surrogate fails every class here, as it is no character.</summary>
    private static bool IsProviderNameV2(string value)
    {
        var runes = Runes(value);
        if (runes is null || runes.Count < 3)
        {
            return false;
        }

        return NotUnderscoreOrSeparator(runes[0]) && IsClaim(runes[1]) && runes.Skip(2).All(NotUnderscoreOrSeparator);
    }

    private static bool NotUnderscoreOrSeparator(Rune rune) => rune.Value != '_' && !IsSeparator(rune);

    private static bool IsSeparator(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.SpaceSeparator
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static bool IsClaim(Rune rune) => JavaPatterns.IsClaimName(rune.ToString());

    private static List<Rune>? Runes(string value)
    {
        var runes = new List<Rune>();
        var remaining = value.AsSpan();
        while (!remaining.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(remaining, out var rune, out var consumed) != OperationStatus.Done)
            {
                return null;
            }

            runes.Add(rune);
            remaining = remaining[consumed..];
        }

        return runes;
    }
}
