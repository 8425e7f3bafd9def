using System.Buffers;
using System.Globalization;
using System.Text;

namespace IdentityBroker.Validation;

/// <summary>The model shapes of the app clients' OAuth members, the domains and the resource servers.</summary>
internal static class UserPoolOAuthShapes
{
    /// <summary>ProviderNameType <c>[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+</c>, 1–32, matched per code point as Java does.</summary>
    public static readonly StringShape ProviderNameType = new(1, 32, @"[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+", matcher: IsProviderName);

    public static readonly CountShape ProviderNameList = new(null, null);

    private static bool IsProviderName(string value)
    {
        var remaining = value.AsSpan();
        while (!remaining.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(remaining, out var rune, out var consumed) != OperationStatus.Done || !IsProviderCategory(Rune.GetUnicodeCategory(rune)))
            {
                return false;
            }

            remaining = remaining[consumed..];
        }

        return value.Length > 0;
    }

    private static bool IsProviderCategory(UnicodeCategory category) => category is not (UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
}
