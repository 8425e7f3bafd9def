using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IdentityBroker.Validation;

/// <summary>The model shapes of the app clients' OAuth members, the domains and the resource servers.</summary>
internal static partial class UserPoolOAuthShapes
{
    /// <summary>DomainType: a lower-case DNS label.</summary>
    public static readonly StringShape DomainType = new(1, 63, @"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$", DomainLabel());

    public static readonly StringShape ResourceServerIdentifierType = new(1, 256, @"[\x21\x23-\x5B\x5D-\x7E]+", JavaPatterns.Scope());

    public static readonly StringShape ResourceServerNameType = new(1, 256, @"[\w\s+=,.@-]+", JavaPatterns.IdentityPoolName());

    public static readonly StringShape ScopeNameType = new(1, 256, @"[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+", ScopeName());

    public static readonly StringShape ScopeDescriptionType = new(1, 256);

    public static readonly CountShape ScopeList = new(null, 100);

    public static readonly IntegerShape ListResourceServersLimit = new(1, 50);

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

    [GeneratedRegex(@"\A[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DomainLabel();

    [GeneratedRegex(@"\A[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex ScopeName();
}
