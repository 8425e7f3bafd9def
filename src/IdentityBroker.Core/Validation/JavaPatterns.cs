using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IdentityBroker.Validation;

/// <summary>
/// The <c>pattern</c> traits of cognito-identity.service-2.json, translated from Java regex semantics.
/// AWS matches a pattern against the whole value (<c>Matcher.matches()</c>), so every regex is anchored with
/// <c>\A…\z</c> (<c>$</c> would also accept a trailing newline). Java's <c>\w</c> is ASCII-only
/// (<c>[a-zA-Z0-9_]</c>), <c>\s</c> is <c>[ \t\n\x0B\f\r]</c> and <c>\d</c> is <c>[0-9]</c>, whereas .NET's are Unicode-aware,
/// so the classes are spelled out. Matching is ordinal and culture-invariant.
/// </summary>
internal static partial class JavaPatterns
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>IdentityPoolId and IdentityId: <c>[\w-]+:[0-9a-f-]+</c>.</summary>
    [GeneratedRegex(@"\A[a-zA-Z0-9_-]+:[0-9a-f-]+\z", Options)]
    internal static partial Regex RegionGuid();

    /// <summary>UserPoolIdType: <c>[\w-]+_[0-9a-zA-Z]+</c>.</summary>
    [GeneratedRegex(@"\A[a-zA-Z0-9_-]+_[0-9a-zA-Z]+\z", Options)]
    internal static partial Regex UserPoolId();

    /// <summary>ClientIdType: <c>[\w+]+</c>.</summary>
    [GeneratedRegex(@"\A[a-zA-Z0-9_+]+\z", Options)]
    internal static partial Regex UserPoolClientId();

    /// <summary>TokenModelType: <c>[A-Za-z0-9-_=.]+</c> (the <c>-</c> after a range is literal in Java).</summary>
    [GeneratedRegex(@"\A[A-Za-z0-9_=.-]+\z", Options)]
    internal static partial Regex TokenModel();

    /// <summary>ScopeType: <c>[\x21\x23-\x5B\x5D-\x7E]+</c> (printable ASCII but space, quote and backslash).</summary>
    [GeneratedRegex(@"\A[\x21\x23-\x5B\x5D-\x7E]+\z", Options)]
    internal static partial Regex Scope();

    /// <summary>IdentityPoolName, UserPoolNameType and ClientNameType: <c>[\w\s+=,.@-]+</c>.</summary>
    [GeneratedRegex(@"\A[a-zA-Z0-9_ \t\n\x0B\f\r+=,.@-]+\z", Options)]
    internal static partial Regex IdentityPoolName();

    /// <summary>AccountId: <c>\d+</c>.</summary>
    [GeneratedRegex(@"\A[0-9]+\z", Options)]
    internal static partial Regex AccountId();

    /// <summary>DeveloperProviderName: <c>[\w._-]+</c>.</summary>
    [GeneratedRegex(@"\A[a-zA-Z0-9_.-]+\z", Options)]
    internal static partial Regex DeveloperProviderName();

    /// <summary>
    /// IdentityProviderId (SupportedLoginProviders value): the model's <c>[\w.;_/-]+</c> plus the comma, because a
    /// provider's several app/client ids are written comma-separated (docs/providers-social.md; the Google and Amazon validators split them).
    /// </summary>
    [GeneratedRegex(@"\A[a-zA-Z0-9_.;/-]+(?:,[a-zA-Z0-9_.;/-]+)*\z", Options)]
    internal static partial Regex IdentityProviderId();

    /// <summary>CognitoIdentityProviderName: <c>[\w._:/-]+</c>.</summary>
    [GeneratedRegex(@"\A[a-zA-Z0-9_.:/-]+\z", Options)]
    internal static partial Regex CognitoIdentityProviderName();

    /// <summary>CognitoIdentityProviderClientId: <c>[\w_]+</c>.</summary>
    [GeneratedRegex(@"\A[a-zA-Z0-9_]+\z", Options)]
    internal static partial Regex ClientId();

    /// <summary>PaginationKey: <c>[\S]+</c>; Java's <c>\S</c> is anything but <c>[ \t\n\x0B\f\r]</c>.</summary>
    [GeneratedRegex(@"\A[^ \t\n\x0B\f\r]+\z", Options)]
    internal static partial Regex PaginationKey();

    /// <summary>RoleType (RolesMap key): <c>(un)?authenticated</c>.</summary>
    [GeneratedRegex(@"\A(un)?authenticated\z", Options)]
    internal static partial Regex RoleType();

    /// <summary>
    /// ClaimName: <c>[\p{L}\p{M}\p{S}\p{N}\p{P}]+</c>. Java matches categories per code point, so a supplementary
    /// character such as an emoji (So) passes; a .NET regex sees its two surrogates (Cs) and would refuse it.
    /// Walking the runes keeps Java's meaning; an unpaired surrogate is not a character of any listed category.
    /// </summary>
    internal static bool IsClaimName(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        var remaining = value.AsSpan();
        while (!remaining.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(remaining, out var rune, out var consumed) != OperationStatus.Done
                || !IsClaimCategory(Rune.GetUnicodeCategory(rune)))
            {
                return false;
            }

            remaining = remaining[consumed..];
        }

        return true;
    }

    private static bool IsClaimCategory(UnicodeCategory category) => category switch
    {
        // \p{L}
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
        // \p{M}
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        // \p{S}
        UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
            or UnicodeCategory.OtherSymbol => true,
        // \p{N}
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        // \p{P}
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => true,
        _ => false,
    };
}
